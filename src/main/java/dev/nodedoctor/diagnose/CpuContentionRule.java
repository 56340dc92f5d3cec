package dev.nodedoctor.diagnose;

import dev.nodedoctor.cgroup.CgroupPaths;
import dev.nodedoctor.sample.CgroupDelta;
import dev.nodedoctor.sample.Delta;
import dev.nodedoctor.sample.ProcessDelta;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code cpu.contention}: tasks are runnable but wait for a CPU. Per process from schedstat's run-queue wait
 * (summed over threads), host-wide from PSI cpu "some". When the process's cgroup is CFS-throttled, the wait
 * is the throttling, and the finding says so (cause: {@code cpu.throttled}).
 */
public final class CpuContentionRule extends ConfiguredRule {
    public static final String ID = "cpu.contention";
    public static final Threshold PROCESS_MS = new Threshold("cpu.contention.runqueue-ms-per-s", 100,
            "run-queue wait of one process's threads, milliseconds per second",
            "nodedoctor: its threads together lose a tenth of every second waiting for a CPU");
    public static final Threshold PSI_SOME = new Threshold("cpu.contention.psi-some-percent", 20,
            "PSI cpu 'some' over the window, percent of wall time",
            "nodedoctor: a fifth of wall time with a runnable task waiting");
    static final int MAX_REPORTED = 5;


    public CpuContentionRule(Thresholds thresholds) {
        super(ID, thresholds);
    }


    @Override
    public List<Finding> evaluate(Observations obs) {
        Delta d = obs.cpu().get().orElse(null);
        if (d == null) {
            return List.of();
        }
        List<Finding> out = new ArrayList<>();
        if (d.host() != null && d.host().cpuPressureSome() >= value(PSI_SOME)) {
            out.add(hostFinding(d));
        }
        List<ProcessDelta> waiting = new ArrayList<>();
        double limit = value(PROCESS_MS);
        long self = ProcessHandle.current().pid();
        for (ProcessDelta p : d.processes()) {
            // our own meter threads wait in the run queue on a busy node: that is not the node's problem
            if (p.runQueueDelayMsPerSecond() >= limit && !(p.pid() == self && obs.root().equals("/"))) {
                waiting.add(p);
            }
        }
        waiting.sort((a, b) -> Double.compare(b.runQueueDelayMsPerSecond(), a.runQueueDelayMsPerSecond()));
        // Two lists, each capped: waits explained by a CFS quota, and waits for a busy machine. One kind must
        // not crowd the other out of the report.
        int throttled = 0;
        int busy = 0;
        for (ProcessDelta p : waiting) {
            boolean byQuota = throttledCgroup(d, p) != null;
            if (byQuota ? throttled++ < MAX_REPORTED : busy++ < MAX_REPORTED) {
                out.add(processFinding(d, p));
            }
        }
        return out;
    }

    private Finding hostFinding(Delta d) {
        List<Evidence> ev = new ArrayList<>();
        ev.add(Evidence.of("cpu pressure (some)", d.host().cpuPressureSome(), "% of the window", "/proc/pressure/cpu"));
        if (d.host().load() != null) {
            ev.add(Evidence.of("load average (1 min)", d.host().load().one(), "", "/proc/loadavg"));
        }
        ev.add(Evidence.of("CPUs", d.host().cpus(), "", "/proc/stat"));
        ev.add(Evidence.of("runnable tasks now", d.host().running(), "", "/proc/stat (procs_running)"));
        ev.add(Evidence.of("busy over all CPUs", d.host().all().busy(), "%", "/proc/stat"));
        long throttled = d.cgroups().stream().filter(this::isThrottled).count();
        if (throttled > 0) {
            ev.add(Evidence.of("CFS-throttled cgroups", throttled, "", "cpu.stat"));
        }
        String why = throttled > 0 && d.host().all().idle() > 20
                ? "In that share of wall time at least one runnable task was waiting, while the CPUs were "
                + Math.round(d.host().all().idle()) + " % idle: the waiting tasks are held back by their cgroups' "
                + "CPU quota (throttled tasks count as stalled), not by a lack of CPUs."
                : "More threads want to run than there are CPUs (or than their cgroups' quotas allow): in that "
                + "share of wall time at least one runnable task was waiting. Waiting shows up as latency, "
                + "not as CPU use.";
        return new Finding(ID, Severity.WARNING, Subjects.HOST,
                String.format(Locale.ROOT, "Tasks waited for a CPU %.0f%% of the time (PSI cpu some)",
                        d.host().cpuPressureSome()),
                ev, why,
                "Find who is runnable (the processes with most run-queue wait below, `nodedoctor top`); give "
                        + "latency-sensitive pods higher CPU requests (shares/weight), move batch work elsewhere, "
                        + "or add CPUs. Check cpu.throttled findings: quota throttling counts here too.",
                List.of("https://docs.kernel.org/accounting/psi.html"),
                throttled > 0 ? List.of(CpuThrottledRule.ID) : List.of(), d.host().cpuPressureSome() / 100);
    }

    private Finding processFinding(Delta d, ProcessDelta p) {
        String sched = Sources.process(p.pid(), "task/*/schedstat");
        List<Evidence> ev = new ArrayList<>();
        ev.add(Evidence.of("run-queue wait", p.runQueueDelayMsPerSecond(), "ms/s", sched));
        ev.add(Evidence.of("CPU", p.cpuPercent(), "% of one core", Sources.process(p.pid(), "stat")));
        ev.add(Evidence.of("threads", p.threads(), "", Sources.process(p.pid(), "stat")));
        if (p.schedulesPerSecond() >= 0) {
            ev.add(Evidence.of("times scheduled (all threads)", p.schedulesPerSecond(), "/s", sched));
        }
        ev.addAll(Subjects.kubernetes(p.cgroup(), Sources.process(p.pid(), "cgroup")));
        List<String> causes = new ArrayList<>();
        String throttledBy = throttledCgroup(d, p);
        if (throttledBy != null) {
            ev.add(Evidence.text("its cgroup is CFS-throttled", throttledBy, "cpu.stat"));
            causes.add(CpuThrottledRule.ID);
        }
        String why = throttledBy != null
                ? "Its threads were runnable but did not run for this long each second. Its cgroup ran out of CPU "
                + "quota in this window, and throttled tasks count as waiting: the wait is the limit, not a busy "
                + "machine."
                : "Its threads were runnable but did not run for this long each second: other tasks held the CPUs. "
                + "Every millisecond of waiting is added to the latency of whatever the thread was doing.";
        String fix = throttledBy != null
                ? "See the cpu.throttled finding for its cgroup: raise or remove the CPU limit."
                : "Reduce what competes for CPU on this node, or give this workload a larger CPU request "
                + "(cpu.shares / cpu.weight) so the scheduler favours it; pin latency-critical work with the "
                + "static CPU manager policy.";
        return new Finding(ID, Severity.WARNING, Subjects.process(p.pid(), p.name()),
                String.format(Locale.ROOT, "%s waited %.0f ms per second for a CPU", p.name(),
                        p.runQueueDelayMsPerSecond()),
                ev, why, fix, List.of("https://docs.kernel.org/scheduler/sched-stats.html"), causes,
                p.runQueueDelayMsPerSecond() / 1000);
    }

    private boolean isThrottled(CgroupDelta g) {
        return g.hasLimit() && g.periods() >= value(CpuThrottledRule.MIN_PERIODS)
                && g.throttlingRatio() >= value(CpuThrottledRule.RATIO);
    }

    /** The throttled cgroup that contains the process, or null. */
    private String throttledCgroup(Delta d, ProcessDelta p) {
        if (p.cgroup() == null) {
            return null;
        }
        for (CgroupDelta g : d.cgroups()) {
            if (CgroupPaths.isAtOrBelow(p.cgroup(), g.path()) && isThrottled(g)) {
                return g.path();
            }
        }
        return null;
    }
}
