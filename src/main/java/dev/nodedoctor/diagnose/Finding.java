package dev.nodedoctor.diagnose;

import java.util.Comparator;
import java.util.List;

/**
 * What is wrong, where, the evidence, why it happens and the fix.
 *
 * @param id       stable identifier such as {@code cpu.throttled}; {@code nodedoctor explain ID} tells more
 * @param subject  what it is about: a cgroup path, "pid 1234 (kubelet)", "host"
 * @param score    how bad within its severity, for ranking (e.g. the throttled share); larger is worse
 * @param causes   ids of the findings that cause this one ("caused by"), so a report can tell the chain
 *                 root cause first
 */
public record Finding(String id, Severity severity, String subject, String title, List<Evidence> evidence,
                      String why, String fix, List<String> refs, List<String> causes, double score) {

    public Finding {
        evidence = List.copyOf(evidence);
        refs = List.copyOf(refs);
        causes = List.copyOf(causes);
    }

    /** Most severe first, then by score. */
    public static final Comparator<Finding> RANKING = Comparator.comparing(Finding::severity).reversed()
            .thenComparing(Comparator.comparingDouble(Finding::score).reversed());
}
