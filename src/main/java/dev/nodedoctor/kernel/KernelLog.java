package dev.nodedoctor.kernel;

import java.util.List;

/**
 * A kernel log as lines, with remarks about the input as a whole (kmsg records lost to ring overwrites, a
 * read that was cut short).
 */
public record KernelLog(List<KernelLogLine> lines, List<String> notes) {
    public KernelLog {
        lines = List.copyOf(lines);
        notes = List.copyOf(notes);
    }
}
