package dev.nodedoctor.cli;

import dev.nodedoctor.diagnose.Finding;
import dev.nodedoctor.diagnose.Severity;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * The {@code --fail-on SEVERITY} option every judging command shares (picocli mixin): exit code 1 when a
 * finding is at least that severe, so scripts and CI can gate on nodedoctor.
 */
final class FailOn {
    @Option(names = "--fail-on", paramLabel = "SEVERITY",
            description = "Exit with 1 when a finding is at least this severe: info, warning, critical.")
    String failOn;

    /** The parsed severity, or null when not given; a bad word is a usage error, reported before any work. */
    Severity severity() {
        return failOn == null ? null : parse(failOn);
    }

    /** {@link ExitCode#FINDINGS} when the worst of {@code findings} reaches the threshold, else {@link ExitCode#OK}. */
    int exitCode(List<Finding> findings) {
        Severity worst = findings.stream().map(Finding::severity).max(Enum::compareTo).orElse(null);
        return exitCode(severity(), worst);
    }

    static int exitCode(Severity threshold, Severity worst) {
        return threshold != null && worst != null && worst.atLeast(threshold) ? ExitCode.FINDINGS : ExitCode.OK;
    }

    static Severity parse(String text) {
        try {
            return Severity.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.USAGE, "--fail-on: " + e.getMessage());
        }
    }
}
