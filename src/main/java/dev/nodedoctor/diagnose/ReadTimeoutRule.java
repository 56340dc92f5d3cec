package dev.nodedoctor.diagnose;

import dev.nodedoctor.sys.ReadTiming;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code kernel.read-timeout}: a kernel file did not answer within the read deadline, or took over a second.
 * On a healthy node /proc and cgroup files answer in micro- to milliseconds; seconds mean the kernel itself
 * is struggling (memory.stat over thousands of dying cgroups, a process with a contended mmap lock).
 */
public final class ReadTimeoutRule extends ConfiguredRule {
    public static final String ID = "kernel.read-timeout";
    public static final Threshold SLOW_MS = new Threshold("kernel.read-timeout.slow-ms", 1000,
            "a completed read of one kernel file slower than this is reported, milliseconds (reads under 100 ms are not kept)",
            "nodedoctor: healthy /proc and cgroup reads take < 10 ms; a memory.stat read over many dying cgroups can take seconds");


    public ReadTimeoutRule(Thresholds thresholds) {
        super(ID, thresholds);
    }


    @Override
    public List<Finding> evaluate(Observations obs) {
        double slowMs = value(SLOW_MS);
        List<Evidence> ev = new ArrayList<>();
        int timedOut = 0;
        double worst = 0;
        for (ReadTiming t : obs.slowReads()) {
            double ms = t.elapsed().toNanos() / 1e6;
            if (t.timedOut() || ms >= slowMs) {
                ev.add(Evidence.of(t.timedOut() ? "timed out after" : "read took", ms, "ms", t.path()));
                timedOut += t.timedOut() ? 1 : 0;
                worst = Math.max(worst, ms);
            }
        }
        if (ev.isEmpty()) {
            return List.of();
        }
        String title = timedOut > 0
                ? String.format(Locale.ROOT, "%d kernel file read(s) did not finish within the deadline", timedOut)
                : String.format(Locale.ROOT, "Kernel files took up to %.0f ms to read", worst);
        return List.of(new Finding(ID, timedOut > 0 ? Severity.CRITICAL : Severity.WARNING, Subjects.HOST, title,
                ev.subList(0, Math.min(20, ev.size())),
                "Reading these files makes the kernel compute their content on the spot. When that takes seconds, "
                        + "every monitoring agent that reads them (kubelet/cAdvisor, node_exporter) burns CPU in the "
                        + "kernel and can hold locks that other work needs."
                        + (timedOut > 0 ? " nodedoctor gave up waiting on the timed-out files and went on." : ""),
                "If the slow files are cgroup statistics, count dying memory cgroups (/proc/cgroups num_cgroups "
                        + "for memory vs. the cgroup directories that exist). As a stop-gap, drop the caches that pin "
                        + "them: `sync; echo 3 > /proc/sys/vm/drop_caches` (1 = page cache, the main pin; 2 = dentries, "
                        + "inodes and other slab, which also pinned them before Linux 5.3/5.9); it costs a burst "
                        + "of re-reads from disk. If a /proc/PID file hangs, that process is stuck in the kernel "
                        + "(D state): check /proc/PID/stack as root.",
                List.of("https://www.kernel.org/doc/html/latest/admin-guide/cgroup-v2.html"), List.of(), worst / 1000));
    }
}
