package dev.nodedoctor.diagnose;

import dev.nodedoctor.cgroup.CgroupLayout;
import dev.nodedoctor.sample.Delta;
import dev.nodedoctor.sys.ReadTiming;
import dev.nodedoctor.trace.TraceSummary;

import java.util.List;

/**
 * Everything one run gathered, for the rules to judge. Rules never read files: they read this, so each is
 * a pure function tested on captured data. New kinds of evidence (kernel log, profiles, traces) are added
 * here as further {@link Part}s.
 *
 * @param cpu       host, process and cgroup rates over the sampling window
 * @param slowReads kernel files that were slow to read or timed out during the run
 * @param root      the tree that was read ("/" for this machine), for the sources in evidence
 * @param trace     the system calls of one process (strace), gathered with {@code diagnose --pid PID --trace}
 */
public record Observations(Part<Delta> cpu, CgroupLayout layout, List<ReadTiming> slowReads, String root,
                           Part<TraceSummary> trace) {
    public static final String TRACE_NOT_GATHERED = "not gathered (use --pid PID --trace)";

    public Observations {
        slowReads = List.copyOf(slowReads);
    }

    /** Without a trace: what every run had before strace support. */
    public Observations(Part<Delta> cpu, CgroupLayout layout, List<ReadTiming> slowReads, String root) {
        this(cpu, layout, slowReads, root, Part.absent(TRACE_NOT_GATHERED));
    }
}
