package dev.nodedoctor.diagnose;

import java.util.List;

/** The findings of one run, ranked, and notes about what the rules themselves could not do. */
public record Diagnosis(List<Finding> findings, List<String> notes) {

    public Severity worst() {
        return findings.stream().map(Finding::severity).max(Enum::compareTo).orElse(null);
    }
}
