package dev.nodedoctor.diagnose;

import dev.nodedoctor.sample.Delta;
import dev.nodedoctor.sample.HostCpuDelta;

import java.util.List;

/** {@code cpu.iowait}: CPUs idle while tasks wait for block I/O. */
public final class IowaitRule extends HostCpuShareRule {
    public static final String ID = "cpu.iowait";
    public static final Threshold ALL = new Threshold("cpu.iowait.percent", 20,
            "iowait (wa) over all CPUs, percent", "nodedoctor: a fifth of all CPU time idle waiting for disks");

    public IowaitRule(Thresholds t) {
        super(t, new Spec(ID, "iowait (wa)", HostCpuDelta::iowait, ALL, null,
                "CPUs wait for disk I/O %.0f%% of the time (iowait)",
                "iowait is idle time during which at least one task on that CPU was blocked on block I/O. The "
                    + "CPU is free; the disk is the bottleneck. Tasks stuck in the D state add to the load average "
                    + "without using CPU. Buffered writes that fill the page cache faster than the disk drains it "
                    + "end in long writeback waits.",
                "Find the device and the writer: `iostat -x 1` (await, %util), /proc/pressure/io, "
                    + "`pidstat -d 1`. Throttle or move the heavy writer (io.max / blkio), use faster storage, or "
                    + "lower vm.dirty_background_bytes so background writeback starts earlier and in smaller bursts "
                    + "(vm.dirty_bytes is where the writer itself gets throttled).",
                List.of("man 5 proc (/proc/stat iowait)", "https://docs.kernel.org/accounting/psi.html")));
    }

    @Override
    void addEvidence(Delta d, List<Evidence> ev) {
        ev.add(Evidence.of("tasks blocked on I/O now", d.host().blocked(), "", "/proc/stat (procs_blocked)"));
        if (d.host().ioPressureSome() >= 0) {
            ev.add(Evidence.of("io pressure (some)", d.host().ioPressureSome(), "% of the window", "/proc/pressure/io"));
        }
    }
}
