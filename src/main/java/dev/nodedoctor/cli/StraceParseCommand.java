package dev.nodedoctor.cli;

import dev.nodedoctor.diagnose.Severity;
import dev.nodedoctor.sys.KernelFiles;
import dev.nodedoctor.trace.StraceParser;
import dev.nodedoctor.trace.StraceRunner;
import dev.nodedoctor.trace.TraceSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "parse", mixinStandardHelpOptions = true,
        description = {"Read a saved strace output and summarise it like `nodedoctor strace -p`: a -c table, "
                + "line output (-f, -t/-tt/-ttt, -T, -y), or both (-C). '-' reads standard input.",
            "Best input: strace -f -tt -T -y -o FILE -p PID (Ctrl-C after ~10 s)."})
public final class StraceParseCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "strace output, or - for standard input.")
    Path file;

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    @CommandLine.Mixin
    FailOn failOn = new FailOn();

    @Option(names = "--config", paramLabel = "FILE", description = "Threshold overrides, one 'key=value' per line.")
    Path config;

    @Option(names = {"-p", "--pid"}, paramLabel = "PID", description = "The traced process, if it still runs: "
            + "files of fds the trace does not name (no -y) are looked up in /proc/PID/fd.")
    Integer pid;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Severity failSeverity = failOn.severity();
        var thresholds = DiagnoseCommand.loadThresholds(config);
        TraceSummary t;
        boolean stdin = file.toString().equals("-");
        try (InputStream in = stdin ? System.in : Files.newInputStream(file)) {
            t = StraceParser.parse(in, stdin ? "(stdin)" : file.toString());
        } catch (NoSuchFileException e) {
            throw new UserError(ExitCode.BAD_INPUT, file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new UserError(ExitCode.PERMISSION, file + ": permission denied");
        } catch (IOException e) {
            throw new UserError(ExitCode.BAD_INPUT, file + ": " + e.getMessage());
        }
        if (t.isEmpty()) {
            throw new UserError(ExitCode.BAD_INPUT, file + ": no strace output in it (" + t.lines() + " lines; "
                    + "expected lines like 'read(3, ...) = 5 <0.000020>' or a '% time' table)");
        }
        if (pid != null) {
            try (KernelFiles files = KernelFiles.live()) {
                if (!files.exists("/proc/" + pid + "/fd")) {
                    throw new UserError(ExitCode.BAD_INPUT, "--pid " + pid + ": no such process");
                }
                t = StraceRunner.withProcFds(files, pid, t).forRun(t.source(), pid, StraceRunner.comm(files, pid), t.seconds(),
                        java.util.List.of("files of fds not named in the trace are from /proc/" + pid
                                + "/fd now: an fd closed and reused since would name another file"));
            }
        }
        return StraceCommand.report(t, thresholds, failSeverity, json, spec.commandLine().getOut());
    }
}
