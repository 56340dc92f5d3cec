package dev.nodedoctor.cli;

import dev.nodedoctor.diagnose.Investigation;
import dev.nodedoctor.diagnose.Part;
import dev.nodedoctor.diagnose.RuleCatalogue;
import dev.nodedoctor.diagnose.Severity;
import dev.nodedoctor.diagnose.Thresholds;
import dev.nodedoctor.report.DiagnoseJson;
import dev.nodedoctor.report.FindingsReport;
import dev.nodedoctor.report.Json;
import dev.nodedoctor.sys.KernelFiles;
import dev.nodedoctor.trace.StraceRunner;
import dev.nodedoctor.trace.TraceSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

@Command(name = "diagnose", mixinStandardHelpOptions = true,
        description = "Sample the node for a short window, run every rule, print ranked findings with evidence, "
                + "why and the fix.")
public final class DiagnoseCommand implements Callable<Integer> {
    @Mixin
    KernelOptions kernel;

    @Option(names = {"-d", "--duration"}, paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Sampling window (default: ${DEFAULT-VALUE}).")
    Duration duration = Duration.ofSeconds(3);

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    @CommandLine.Mixin
    FailOn failOn = new FailOn();

    @Option(names = "--config", paramLabel = "FILE",
            description = "Threshold overrides, one 'key=value' per line (see `nodedoctor explain --thresholds`).")
    Path config;

    @Option(names = "--fix", paramLabel = "ACTION",
            description = "Apply a fix after the diagnosis. The only one: drop-caches (sync, then write 3 to "
                    + "/proc/sys/vm/drop_caches, freeing clean page cache and slab that pin dying memory cgroups). "
                    + "Prints what it does first, then the dying-cgroup count before and after.")
    String fix;

    @Option(names = "--pid", paramLabel = "PID",
            description = "The process to look at closely (with --trace: its system calls).")
    Integer pid;

    @Option(names = "--trace", description = "Also strace --pid for the sampling window (strace -f; needs strace "
            + "and the right to ptrace): adds the syscall.* findings.")
    boolean trace;

    @Option(names = "--strace", paramLabel = "PATH", hidden = true, description = "The strace binary (default: PATH).")
    Path straceBinary;

    @Option(names = "--profile", paramLabel = "FILE",
            description = "Also judge a Go pprof profile (CPU or heap; file, - or URL): gc.pressure, "
                    + "heap.small-objects, cgroup.stats-reader. Repeatable.")
    List<String> profiles = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Severity failSeverity = failOn.severity();
        if (duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofHours(1)) > 0) {
            throw new UserError(ExitCode.USAGE, "--duration must be between 1 ms and 1 h");
        }
        if (fix != null && !fix.equals("drop-caches")) {
            throw new UserError(ExitCode.USAGE, "--fix: unknown action '" + fix + "'; the only one is drop-caches");
        }
        if (trace && pid == null) {
            throw new UserError(ExitCode.USAGE, "--trace needs --pid PID: the process to trace");
        }
        if (pid != null && !trace) {
            throw new UserError(ExitCode.USAGE, "--pid is used with --trace (diagnose --pid PID --trace)");
        }
        Thresholds thresholds = loadThresholds();
        Investigation.Result result;
        List<dev.nodedoctor.profile.ProfileSummary> summaries = new ArrayList<>();
        for (String p : profiles) {
            summaries.add(dev.nodedoctor.profile.ProfileSummary.of(PprofCommand.load(p), p));
        }
        PrintWriter out = spec.commandLine().getOut();
        try (KernelFiles files = kernel.open()) {
            if (fix != null && !files.isLive()) {
                throw new UserError(ExitCode.USAGE, "--fix changes this machine: it cannot be used with --root");
            }
            if (trace && !files.isLive()) {
                throw new UserError(ExitCode.USAGE, "--trace traces a live process: it cannot be used with --root");
            }
            result = trace ? withTrace(files, thresholds, summaries) : Investigation.run(files, duration, thresholds, summaries);
            if (fix != null) {
                print(result, out);
                FixDropCaches.run(files, out);
                return exitCode(result, failSeverity);
            }
        }
        print(result, out);
        return exitCode(result, failSeverity);
    }

    private void print(Investigation.Result result, PrintWriter out) {
        if (json) {
            out.println(Json.pretty(DiagnoseJson.of(result)));
            out.flush();
        } else {
            FindingsReport.print(result, out);
        }
    }

    private static int exitCode(Investigation.Result result, Severity failSeverity) {
        return FailOn.exitCode(failSeverity, result.diagnosis().worst());
    }

    /** strace runs on its own thread over the same window as the samples; its errors end the run clearly. */
    private Investigation.Result withTrace(KernelFiles files, Thresholds thresholds,
                                           List<dev.nodedoctor.profile.ProfileSummary> summaries) throws Exception {
        StraceRunner.Request request = new StraceRunner.Request(pid, duration, true);
        FutureTask<TraceSummary> task = new FutureTask<>(() -> StraceCommand.trace(files, straceBinary, request));
        Thread t = new Thread(task, "nodedoctor-trace");
        t.setDaemon(true);
        t.start();
        return Investigation.run(files, duration, thresholds, () -> {
            try {
                return Part.of(task.get());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new UserError(ExitCode.BAD_INPUT, "strace: " + e.getCause().getMessage());
            }
        }, summaries);
    }

    private Thresholds loadThresholds() {
        return loadThresholds(config);
    }

    static Thresholds loadThresholds(Path config) {
        if (config == null) {
            return Thresholds.defaults();
        }
        try {
            return Thresholds.load(config, RuleCatalogue.thresholds());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserError(ExitCode.BAD_INPUT, "--config " + config + ": no such file");
        } catch (IOException e) {
            throw new UserError(ExitCode.BAD_INPUT, "--config " + config + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.BAD_INPUT, e.getMessage());
        }
    }

}
