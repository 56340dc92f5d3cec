package dev.nodedoctor.diagnose;

import dev.nodedoctor.profile.ProfileSummary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code cgroup.stats-reader}: a CPU profile (typically kubelet's or cAdvisor's) whose hot path reads cgroup
 * statistics — cAdvisor housekeeping → GetStats → memory.stat. Reading memory.stat gets slow when the memory
 * controller holds many dying (offline but not freed) cgroups.
 */
public final class CgroupStatsReaderRule extends ConfiguredRule {
    public static final String ID = "cgroup.stats-reader";

    public static final Threshold SHARE = new Threshold("cgroup.stats-reader.share", 0.10,
            "share of CPU profile samples under cgroup statistics readers (housekeeping, GetStats, memory.stat)",
            "nodedoctor: kubelet's own work (pods, probes, status) normally dominates its profile; a tenth "
                    + "spent re-reading cgroup files is visible as kubelet CPU on every node");


    public CgroupStatsReaderRule(Thresholds thresholds) {
        super(ID, thresholds);
    }


    @Override
    public List<Finding> evaluate(Observations obs) {
        List<Finding> out = new ArrayList<>();
        for (ProfileSummary p : obs.profiles().get().orElse(List.of())) {
            if (!p.cpu() || p.cgroupShare() < value(SHARE)) {
                continue;
            }
            List<Evidence> ev = new ArrayList<>();
            ev.add(Evidence.of("samples reading cgroup stats", 100 * p.cgroupShare(), "% of CPU samples", p.source()));
            if (!p.cgroupStack().isEmpty()) {
                ev.add(Evidence.text("heaviest stack", String.join(" → ", p.cgroupStack()), p.source()));
            }
            String title = String.format(Locale.ROOT, "%.0f%% of the CPU profile reads cgroup statistics",
                    100 * p.cgroupShare());
            String why = "cAdvisor (inside kubelet) re-reads every container's cgroup files on each housekeeping "
                    + "pass; memory.stat is the expensive one. Its cost grows with the memory cgroups the kernel still "
                    + "tracks, including dying ones: cgroups already removed but pinned by page cache they charged. "
                    + "Thousands of dying memory cgroups make each memory.stat read walk them all.";
            String fix = "Check for dying memory cgroups (cgroup v1: `num_cgroups` of memory in /proc/cgroups "
                    + "minus the directories under /sys/fs/cgroup/memory; v2: nr_dying_descendants in cgroup.stat) "
                    + "and time a read of memory.stat. If they are many, free them (`echo 1 > "
                    + "/proc/sys/vm/drop_caches` reclaims the pinned page cache; newer kernels reparent it), stop the "
                    + "churn that creates them (short-lived pods or cron jobs writing files), and consider raising "
                    + "kubelet's --housekeeping-interval.";
            out.add(new Finding(ID, Severity.WARNING, "profile " + p.source(), title, ev, why, fix,
                    List.of("https://www.kernel.org/doc/html/latest/admin-guide/cgroup-v2.html",
                            "https://github.com/google/cadvisor (manager/container.go housekeeping)"),
                    List.of(), p.cgroupShare()));
        }
        return out;
    }
}
