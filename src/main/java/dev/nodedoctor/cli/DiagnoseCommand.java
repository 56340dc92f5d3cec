package dev.nodedoctor.cli;

import dev.nodedoctor.diagnose.Investigation;
import dev.nodedoctor.diagnose.RuleCatalogue;
import dev.nodedoctor.diagnose.Severity;
import dev.nodedoctor.diagnose.Thresholds;
import dev.nodedoctor.report.DiagnoseJson;
import dev.nodedoctor.report.FindingsReport;
import dev.nodedoctor.report.Json;
import dev.nodedoctor.sys.KernelFiles;
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

    @Option(names = "--fail-on", paramLabel = "SEVERITY",
            description = "Exit with 1 when a finding is at least this severe: info, warning, critical.")
    String failOn;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Threshold overrides, one 'key=value' per line (see `nodedoctor explain --thresholds`).")
    Path config;

    @Option(names = "--profile", paramLabel = "FILE",
            description = "Also judge a Go pprof profile (CPU or heap; file, - or URL): gc.pressure, "
                    + "heap.small-objects, cgroup.stats-reader. Repeatable.")
    List<String> profiles = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Severity failSeverity = failOn == null ? null : parseSeverity(failOn);
        if (duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofHours(1)) > 0) {
            throw new UserError(ExitCode.USAGE, "--duration must be between 1 ms and 1 h");
        }
        Thresholds thresholds = loadThresholds();
        Investigation.Result result;
        try (KernelFiles files = kernel.open()) {
            List<dev.nodedoctor.profile.ProfileSummary> summaries = new ArrayList<>();
            for (String p : profiles) {
                summaries.add(dev.nodedoctor.profile.ProfileSummary.of(PprofCommand.load(p), p));
            }
            result = Investigation.run(files, duration, thresholds, summaries);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.pretty(DiagnoseJson.of(result)));
            out.flush();
        } else {
            FindingsReport.print(result, out);
        }
        Severity worst = result.diagnosis().worst();
        return failSeverity != null && worst != null && worst.atLeast(failSeverity) ? ExitCode.FINDINGS : ExitCode.OK;
    }

    private Thresholds loadThresholds() {
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

    static Severity parseSeverity(String text) {
        try {
            return Severity.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.USAGE, "--fail-on: " + e.getMessage());
        }
    }
}
