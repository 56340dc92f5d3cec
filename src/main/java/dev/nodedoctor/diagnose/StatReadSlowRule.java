package dev.nodedoctor.diagnose;

import dev.nodedoctor.sample.MemoryState;
import dev.nodedoctor.sys.ReadTiming;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code cgroup.stat-read-slow}: reading memory.stat took long. nodedoctor reads it for every memory cgroup, the
 * same files kubelet/cAdvisor read every housekeeping interval, and times each read on its reader thread.
 */
public final class StatReadSlowRule extends ConfiguredRule {
    public static final String ID = "cgroup.stat-read-slow";
    public static final Threshold SLOW_MS = new Threshold("cgroup.stat-read-slow.ms", 100,
            "slowest memory.stat read, milliseconds, for a warning",
            "nodedoctor: healthy reads take well under 1 ms; 100 ms per file makes a monitoring sweep take seconds");
    public static final Threshold CRITICAL_MS = new Threshold("cgroup.stat-read-slow.critical-ms", 1000,
            "slowest memory.stat read, milliseconds, for critical", "nodedoctor: the seed incident's read took 9 s");


    public StatReadSlowRule(Thresholds thresholds) {
        super(ID, thresholds);
    }


    @Override
    public List<Finding> evaluate(Observations obs) {
        MemoryState s = obs.memory().get().orElse(null);
        if (s == null || s.statReads().isEmpty()) {
            return List.of();
        }
        List<ReadTiming> reads = new ArrayList<>(s.statReads());
        reads.sort(Comparator.comparing(ReadTiming::elapsed));
        ReadTiming slowest = reads.get(reads.size() - 1);
        double maxMs = slowest.elapsed().toNanos() / 1e6;
        if (maxMs < value(SLOW_MS) && !slowest.timedOut()) {
            return List.of();
        }
        double p50 = reads.get(reads.size() / 2).elapsed().toNanos() / 1e6;
        double total = reads.stream().mapToLong(r -> r.elapsed().toNanos()).sum() / 1e6;
        List<Evidence> ev = new ArrayList<>();
        ev.add(Evidence.of(slowest.timedOut() ? "slowest read (timed out after)" : "slowest read", maxMs, "ms", slowest.path()));
        ev.add(Evidence.of("median read", p50, "ms", reads.size() + " memory.stat files"));
        ev.add(Evidence.of("all reads together", total, "ms", "one sweep over the memory cgroups"));
        for (int i = reads.size() - 2; i >= Math.max(0, reads.size() - 4); i--) {
            ev.add(Evidence.of("next slowest", reads.get(i).elapsed().toNanos() / 1e6, "ms", reads.get(i).path()));
        }
        long dying = s.dyingMemoryCgroups();
        if (dying >= 0) {
            // memcg.dying, when it fires too, becomes this finding's cause (CausalLinks)
            ev.add(Evidence.of("dying memory cgroups", dying, "", "see memcg.dying"));
        }
        Severity sev = slowest.timedOut() || maxMs >= value(CRITICAL_MS) ? Severity.CRITICAL : Severity.WARNING;
        return List.of(new Finding(ID, sev, Subjects.HOST,
                String.format(Locale.ROOT, "Reading memory.stat took up to %.0f ms (median %.1f ms over %d cgroups)",
                        maxMs, p50, reads.size()),
                ev,
                "The kernel builds memory.stat on every read: kernels before 5.13 summed over every descendant, "
                        + "dying ones included; newer ones flush pending per-CPU updates first. With many cgroups (or "
                        + "dying ones) each read can cost milliseconds to seconds of kernel CPU, and kubelet/cAdvisor "
                        + "read it for every container every housekeeping interval: the monitoring agent becomes the CPU "
                        + "hog, and other work on those CPUs (timers, softirqs, the TCP handshake) runs late. The times "
                        + "here are wall-clock on nodedoctor's reader thread: on a saturated node they include waiting "
                        + "for a CPU, so compare with cpu.contention.",
                "Count dying cgroups (memcg.dying) and free them (`echo 3 > /proc/sys/vm/drop_caches` as a stop-gap); "
                        + "find the periodic reader: `nodedoctor top` for kubelet/cadvisor/node_exporter CPU in system "
                        + "time, `strace -f -e trace=openat -p PID` to see it open memory.stat; lengthen its interval "
                        + "(kubelet --housekeeping-interval) or upgrade to a kernel with cheaper stat flushing.",
                List.of("https://docs.kernel.org/admin-guide/cgroup-v2.html#memory-interface-files"),
                List.of(), maxMs / 1000));
    }
}
