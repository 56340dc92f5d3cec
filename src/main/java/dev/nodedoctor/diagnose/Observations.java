package dev.nodedoctor.diagnose;

import dev.nodedoctor.sample.CgroupFileReaders;
import dev.nodedoctor.accesslog.LatencyAnalysis;
import dev.nodedoctor.cgroup.CgroupLayout;
import dev.nodedoctor.kernel.KernelLogScan;
import dev.nodedoctor.probe.HiccupReport;
import dev.nodedoctor.probe.TcpCounters;
import dev.nodedoctor.profile.ProfileSummary;
import dev.nodedoctor.sample.Delta;
import dev.nodedoctor.sample.MemoryState;
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
 * @param memory    host and cgroup memory at the end of the window
 * @param trace     the system calls of one process (strace), gathered with {@code diagnose --pid PID --trace}
 * @param hiccup    scheduling-latency meter run over the window (live only)
 * @param tcp       TCP counters of nodedoctor's network namespace over the window (/proc/net/netstat, snmp)
 * @param kernelLog the kernel log's recognised events and OOM reports (/dev/kmsg, or a capture's copy)
 * @param latency   access-log timings per proxy layer, gathered by {@code nodedoctor latency LOG...}
 * @param profiles  summaries of the pprof profiles given with --profile (absent when none was given)
 * @param cgroupReaders processes caught holding cgroup files open while the window ran (live only)
 */
public record Observations(Part<Delta> cpu, CgroupLayout layout, List<ReadTiming> slowReads, String root,
                           Part<MemoryState> memory, Part<TraceSummary> trace, Part<HiccupReport> hiccup,
                           Part<TcpCounters> tcp, Part<KernelLogScan> kernelLog, Part<LatencyAnalysis> latency,
                           Part<List<ProfileSummary>> profiles, Part<CgroupFileReaders.Report> cgroupReaders) {
    public static final String TRACE_NOT_GATHERED = "not gathered (use --pid PID --trace)";

    public Observations {
        slowReads = List.copyOf(slowReads);
    }

    /** An access-log investigation: nothing of the node was looked at. */
    public static Observations ofLatency(LatencyAnalysis analysis) {
        return builder().latency(Part.of(analysis)).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds observations part by part; a part nobody set is absent ("not gathered"). Callers that gather one
     * kind of evidence (strace alone, a kernel log file) set only theirs.
     */
    public static final class Builder {
        private Part<Delta> cpu = Part.absent("CPU was not sampled");
        private CgroupLayout layout;
        private List<ReadTiming> slowReads = List.of();
        private String root = "/";
        private Part<MemoryState> memory = Part.absent("memory was not sampled");
        private Part<TraceSummary> trace = Part.absent(TRACE_NOT_GATHERED);
        private Part<HiccupReport> hiccup = Part.absent("the hiccup meter did not run");
        private Part<TcpCounters> tcp = Part.absent("TCP counters were not read");
        private Part<KernelLogScan> kernelLog = Part.absent("the kernel log was not read");
        private Part<LatencyAnalysis> latency = Part.absent("not gathered (access logs are read by `nodedoctor latency`)");
        private Part<List<ProfileSummary>> profiles = Part.absent("not gathered (give --profile FILE)");
        private Part<CgroupFileReaders.Report> cgroupReaders = Part.absent("cgroup file readers were not sampled");

        public Builder cpu(Part<Delta> v) {
            cpu = v;
            return this;
        }

        public Builder layout(CgroupLayout v) {
            layout = v;
            return this;
        }

        public Builder slowReads(List<ReadTiming> v) {
            slowReads = v;
            return this;
        }

        public Builder root(String v) {
            root = v;
            return this;
        }

        public Builder memory(Part<MemoryState> v) {
            memory = v;
            return this;
        }

        public Builder trace(Part<TraceSummary> v) {
            trace = v;
            return this;
        }

        public Builder hiccup(Part<HiccupReport> v) {
            hiccup = v;
            return this;
        }

        public Builder latency(Part<LatencyAnalysis> v) {
            latency = v;
            return this;
        }

        public Builder tcp(Part<TcpCounters> v) {
            tcp = v;
            return this;
        }

        public Builder kernelLog(Part<KernelLogScan> v) {
            kernelLog = v;
            return this;
        }

        public Builder profiles(Part<List<ProfileSummary>> v) {
            profiles = v;
            return this;
        }

        public Builder cgroupReaders(Part<CgroupFileReaders.Report> v) {
            cgroupReaders = v;
            return this;
        }

        public Observations build() {
            return new Observations(cpu, layout, slowReads, root, memory, trace, hiccup, tcp, kernelLog, latency,
                    profiles, cgroupReaders);
        }
    }

    /** Observations of profiles alone (`pprof top` judges the profile it prints). */
    public static Observations ofProfiles(List<ProfileSummary> profiles) {
        return builder().profiles(Part.of(List.copyOf(profiles))).build();
    }

}
