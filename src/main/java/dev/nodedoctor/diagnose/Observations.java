package dev.nodedoctor.diagnose;

import dev.nodedoctor.cgroup.CgroupLayout;
import dev.nodedoctor.probe.HiccupReport;
import dev.nodedoctor.probe.TcpCounters;
import dev.nodedoctor.sample.Delta;
import dev.nodedoctor.sample.MemoryState;
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
 * @param memory    host and cgroup memory at the end of the window
 * @param hiccup    scheduling-latency meter run over the window (live only)
 * @param tcp       TCP counters of nodedoctor's network namespace over the window (/proc/net/netstat, snmp)
 */
public record Observations(Part<Delta> cpu, CgroupLayout layout, List<ReadTiming> slowReads, String root,
                           Part<MemoryState> memory, Part<HiccupReport> hiccup, Part<TcpCounters> tcp) {

    public Observations {
        slowReads = List.copyOf(slowReads);
    }
}
