package dev.nodedoctor.diagnose;

import dev.nodedoctor.accesslog.LatencyAnalysis;
import dev.nodedoctor.cgroup.CgroupLayout;
import dev.nodedoctor.sample.Delta;
import dev.nodedoctor.sys.ReadTiming;

import java.util.List;

/**
 * Everything one run gathered, for the rules to judge. Rules never read files: they read this, so each is
 * a pure function tested on captured data. New kinds of evidence (kernel log, profiles, traces) are added
 * here as further {@link Part}s.
 *
 * @param cpu       host, process and cgroup rates over the sampling window
 * @param slowReads kernel files that were slow to read or timed out during the run
 * @param root      the tree that was read ("/" for this machine), for the sources in evidence
 * @param latency   access-log latency analysis (from {@code nodedoctor latency})
 */
public record Observations(Part<Delta> cpu, CgroupLayout layout, List<ReadTiming> slowReads, String root,
                           Part<LatencyAnalysis> latency) {

    public Observations {
        slowReads = List.copyOf(slowReads);
    }

    /** A node investigation: no access logs were looked at. */
    public Observations(Part<Delta> cpu, CgroupLayout layout, List<ReadTiming> slowReads, String root) {
        this(cpu, layout, slowReads, root, Part.absent("not gathered: access logs are read by `nodedoctor latency`"));
    }

    /** An access-log investigation: nothing of the node was looked at. */
    public static Observations ofLatency(LatencyAnalysis analysis) {
        return new Observations(Part.absent("not gathered: access logs only"), null, List.of(), "/", Part.of(analysis));
    }
}
