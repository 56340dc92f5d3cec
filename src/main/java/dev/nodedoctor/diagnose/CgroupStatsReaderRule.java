package dev.nodedoctor.diagnose;

import dev.nodedoctor.profile.ProfileSummary;
import dev.nodedoctor.sample.CgroupFileReaders;
import dev.nodedoctor.sample.ProcessDelta;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code cgroup.stats-reader}: a process spends its time reading cgroup statistics — seen either in a CPU
 * profile (typically kubelet's or cAdvisor's: housekeeping → GetStats → memory.stat), or live, when the
 * process is caught holding cgroup files open in many of the window's samples while burning system CPU
 * ({@link CgroupFileReaders}). Reading memory.stat gets slow when the memory controller holds many dying
 * (offline but not freed) cgroups; this names the reader that pays for it.
 */
public final class CgroupStatsReaderRule extends ConfiguredRule {
    public static final String ID = "cgroup.stats-reader";

    public static final Threshold SHARE = new Threshold("cgroup.stats-reader.share", 0.10,
            "share of CPU profile samples under cgroup statistics readers (housekeeping, GetStats, memory.stat)",
            "nodedoctor: kubelet's own work (pods, probes, status) normally dominates its profile; a tenth "
                    + "spent re-reading cgroup files is visible as kubelet CPU on every node");

    public static final Threshold LIVE_SHARE = new Threshold("cgroup.stats-reader.live-share", 0.20,
            "share of the window's descriptor samples in which a process held a cgroup file open",
            "nodedoctor: a reader that opens, reads and closes a stat file holds it about as long as the read "
                    + "takes; being caught in a fifth of 100 ms samples means it spends ~20 % of its time in such "
                    + "reads — on a healthy node reads take microseconds and are almost never caught");

    public static final Threshold LIVE_SYSTEM_PERCENT = new Threshold("cgroup.stats-reader.live-system-percent", 5.0,
            "system CPU of the caught process over the window, % of one core",
            "nodedoctor: slow stat reads are kernel CPU in the reader; a process that merely keeps a cgroup file "
                    + "open (a PSI trigger, an OOM eventfd) uses none and is not a reader");

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
        obs.cgroupReaders().get().ifPresent(report -> live(report, obs, out));
        return out;
    }

    private void live(CgroupFileReaders.Report report, Observations obs, List<Finding> out) {
        Map<Integer, ProcessDelta> cpu = new HashMap<>();
        obs.cpu().get().ifPresent(d -> d.processes().forEach(p -> cpu.put(p.pid(), p)));
        for (CgroupFileReaders.Reader r : report.readers()) {
            ProcessDelta p = cpu.get(r.pid());
            double sys = p == null ? -1 : p.systemPercent();
            if (r.share() < value(LIVE_SHARE) || sys < value(LIVE_SYSTEM_PERCENT)) {
                continue;
            }
            String source = "/proc/" + r.pid() + "/fd";
            List<Evidence> ev = new ArrayList<>();
            ev.add(Evidence.of("samples holding a cgroup file open", 100 * r.share(), "%",
                    r.samplesHolding() + " of " + r.samplesTaken() + " samples, every "
                            + report.periodMillis() + " ms, " + source));
            ev.add(Evidence.text("files held", r.filesInWords(), source));
            ev.add(Evidence.text("for example", r.example(), source));
            ev.add(Evidence.of("system CPU", sys, "% of a core", "/proc/" + r.pid() + "/stat"));
            if (p.cpuPercent() >= 0) {
                ev.add(Evidence.of("all CPU", p.cpuPercent(), "% of a core", "/proc/" + r.pid() + "/stat"));
            }
            String title = String.format(Locale.ROOT, "%s spends about %.0f%% of its time reading cgroup files (%s)",
                    r.comm(), 100 * r.share(), r.filesInWords());
            String why = "This process was caught with cgroup files open in many of the window's samples while "
                    + "burning system CPU: it reads cgroup statistics often, and each read is expensive in the kernel. "
                    + "Monitoring agents (kubelet's cAdvisor, node_exporter, telegraf, datadog) re-read every "
                    + "container's memory.stat, cpu.stat and io.stat on each pass; memory.stat costs more with every "
                    + "memory cgroup the kernel tracks, dying ones included.";
            String fix = "This is the periodic reader. Lower its polling (kubelet --housekeeping-interval, the "
                    + "agent's scrape interval, fewer collectors), and make each read cheaper: free dying memory "
                    + "cgroups (memcg.dying; `echo 2 > /proc/sys/vm/drop_caches` as a stop-gap), move to a kernel "
                    + "with cheaper stat flushing (5.13+, 6.x), or to cgroup v2. To see its reads one by one: "
                    + "`nodedoctor diagnose --pid " + r.pid() + " --trace`.";
            out.add(new Finding(ID, Severity.WARNING, Subjects.process(r.pid(), r.comm()), title, ev, why, fix,
                    List.of("https://docs.kernel.org/admin-guide/cgroup-v2.html#memory-interface-files",
                            "https://github.com/google/cadvisor (manager/container.go housekeeping)"),
                    List.of(), r.share()));
        }
    }
}
