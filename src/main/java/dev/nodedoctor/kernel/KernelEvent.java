package dev.nodedoctor.kernel;

import java.util.Map;

/**
 * A kernel-log line that one of the {@link KernelEventRules} recognised.
 *
 * @param kind     the rule's stable id, e.g. {@code oom-kill-memcg}, {@code hung-task}
 * @param group    the family it belongs to: {@code oom}, {@code hung-task}, {@code soft-lockup}, {@code rcu-stall},
 *                 {@code page-allocation-failure}
 * @param reason   node-problem-detector style reason, e.g. {@code OOMKilling}
 * @param severity how bad it is on its own
 * @param line     the line it was found on (time, host, line number)
 * @param fields   the rule's named groups that matched, e.g. {@code pid}, {@code comm}, {@code seconds}
 */
public record KernelEvent(String kind, String group, String reason, Severity severity, KernelLogLine line,
                          Map<String, String> fields) {

    public enum Severity { INFO, WARNING, CRITICAL }

    public KernelEvent {
        fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }

    public String text() {
        return line.text();
    }

    /** Seconds since boot, or null. */
    public Double uptimeSeconds() {
        return line.uptimeSeconds();
    }

    public String wallClock() {
        return line.wallClock();
    }

    /** Whether a --kind filter value names this event (its kind or its group). */
    public boolean is(String kindOrGroup) {
        return kind.equals(kindOrGroup) || group.equals(kindOrGroup);
    }
}
