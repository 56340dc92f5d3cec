package dev.nodedoctor.cli;

import dev.nodedoctor.capture.Capture;
import dev.nodedoctor.sys.KernelFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "capture", mixinStandardHelpOptions = true,
        description = "Write a support bundle (tar.gz) of every kernel file nodedoctor reads — procfs and cgroup "
                + "trees, no process memory or environment — to diagnose this node elsewhere with --root BUNDLE.")
public final class CaptureCommand implements Callable<Integer> {
    @Mixin
    KernelOptions kernel;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE.tar.gz", description = "Where to write the bundle.")
    Path out;

    @Option(names = "--redact-cmdline", description = "Keep only the program of each command line, not its arguments.")
    boolean redact;

    @Option(names = "--force", description = "Replace FILE if it exists.")
    boolean force;

    @Option(names = {"-d", "--duration"}, paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Record two moments this far apart, so rates (CPU %%, throttling) can be computed from "
                    + "the bundle; 0 records one moment (default: ${DEFAULT-VALUE}).")
    Duration duration = Duration.ofSeconds(2);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (duration.isNegative() || duration.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new UserError(ExitCode.USAGE, "--duration must be between 0 and 10m");
        }
        if (Files.exists(out) && !force) {
            throw new UserError(ExitCode.USAGE, out + " exists; use --force to replace it");
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new UserError(ExitCode.BAD_INPUT, "cannot write " + out + ": no such directory");
        }
        if (!Files.isWritable(parent)) {
            throw new UserError(ExitCode.PERMISSION, "cannot write " + out + ": permission denied");
        }
        Capture.Summary s;
        try (KernelFiles files = kernel.open()) {
            s = Capture.run(files, out, redact, duration);
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf("wrote %s: %d files, %.1f MB of kernel text%n", out, s.files(), s.bytes() / 1e6);
        for (String skipped : s.skipped()) {
            w.println("  skipped " + skipped);
        }
        w.flush();
        return ExitCode.OK;
    }
}
