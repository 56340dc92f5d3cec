package dev.nodedoctor.cli;

import dev.nodedoctor.diagnose.Diagnosis;
import dev.nodedoctor.diagnose.Observations;
import dev.nodedoctor.diagnose.Part;
import dev.nodedoctor.diagnose.RuleCatalogue;
import dev.nodedoctor.diagnose.Severity;
import dev.nodedoctor.diagnose.Thresholds;
import dev.nodedoctor.report.Json;
import dev.nodedoctor.report.StraceReport;
import dev.nodedoctor.sys.KernelFiles;
import dev.nodedoctor.trace.StraceRunner;
import dev.nodedoctor.trace.TraceException;
import dev.nodedoctor.trace.TraceSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "strace", mixinStandardHelpOptions = true, subcommands = {StraceParseCommand.class},
        description = {"Trace the system calls of a running process for a while (the system strace, attached and "
                + "detached again: the process keeps running), summarise them and read them for you: futex "
                + "timed-wait loops, error storms, slow calls.",
            "Needs strace (apt-get install strace) and the right to ptrace the process (root or CAP_SYS_PTRACE).",
            "Tracing slows the process down while it runs."})
public final class StraceCommand implements Callable<Integer> {
    @Option(names = {"-p", "--pid"}, paramLabel = "PID", description = "The process to trace.")
    Integer pid;

    @Option(names = {"-s", "--seconds"}, paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long to trace (default: ${DEFAULT-VALUE}; 10, 10s, 500ms).")
    Duration seconds = Duration.ofSeconds(10);

    @Option(names = "-f", description = "Trace every thread and child (strace -f); without it only the thread PID.")
    boolean follow;

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    @CommandLine.Mixin
    FailOn failOn = new FailOn();

    @Option(names = "--config", paramLabel = "FILE", description = "Threshold overrides, one 'key=value' per line.")
    Path config;

    @Option(names = "--strace", paramLabel = "PATH", hidden = true, description = "The strace binary (default: PATH).")
    Path straceBinary;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (pid == null) {
            throw new UserError(ExitCode.USAGE, "give the process to trace with -p PID, or read a saved trace with "
                    + "`nodedoctor strace parse FILE`");
        }
        if (seconds.isNegative() || seconds.isZero() || seconds.compareTo(Duration.ofHours(1)) > 0) {
            throw new UserError(ExitCode.USAGE, "--seconds must be between 1 ms and 1 h");
        }
        Severity failSeverity = failOn.severity();
        Thresholds thresholds = DiagnoseCommand.loadThresholds(config);
        TraceSummary t;
        try (KernelFiles files = KernelFiles.live()) {
            t = trace(files, straceBinary, new StraceRunner.Request(pid, seconds, follow));
        }
        return report(t, thresholds, failSeverity, json, spec.commandLine().getOut());
    }

    /** Runs strace; its failures become one clear line with the exit code the README promises. */
    static TraceSummary trace(KernelFiles files, Path strace, StraceRunner.Request r) throws Exception {
        try {
            return new StraceRunner(files, strace).run(r);
        } catch (TraceException e) {
            int code = switch (e.kind()) {
                case PERMISSION -> ExitCode.PERMISSION;
                case MISSING, NO_PROCESS, FAILED -> ExitCode.BAD_INPUT;
            };
            throw new UserError(code, e.getMessage());
        }
    }

    /** Runs the syscall rules on one trace and prints it: shared by `strace` and `strace parse`. */
    static int report(TraceSummary t, Thresholds thresholds, Severity failSeverity, boolean json, PrintWriter out) {
        Observations obs = Observations.builder().trace(Part.of(t)).build();
        Diagnosis d = RuleCatalogue.evaluate(RuleCatalogue.all(thresholds).stream()
                .filter(r -> r.id().startsWith("syscall.")).toList(), obs);
        if (json) {
            out.println(Json.pretty(new StraceReport.Json(t, d.findings())));
            out.flush();
        } else {
            StraceReport.print(t, d.findings(), out);
        }
        Severity worst = d.worst();
        return FailOn.exitCode(failSeverity, worst);
    }

}
