package dev.nodedoctor.diagnose;

import dev.nodedoctor.sample.CgroupDelta;
import dev.nodedoctor.sample.Delta;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code cpu.throttled}: a cgroup ran out of its CFS quota in a large share of its periods, so its tasks
 * were stopped until the next period although CPUs may have been idle.
 */
public final class CpuThrottledRule extends ConfiguredRule {
    public static final String ID = "cpu.throttled";

    public static final Threshold RATIO = new Threshold("cpu.throttled.ratio", 0.25,
            "share of CFS periods throttled (0..1) for a warning",
            "kubernetes-mixin alert CPUThrottlingHigh (cpuThrottlingPercent: 25)");
    public static final Threshold CRITICAL_RATIO = new Threshold("cpu.throttled.critical-ratio", 0.75,
            "share of CFS periods throttled (0..1) for critical", "nodedoctor: three periods in four lose CPU");
    public static final Threshold MIN_PERIODS = new Threshold("cpu.throttled.min-periods", 10,
            "periods with runnable tasks needed in the window before judging (10 = 1 s at the default period)",
            "nodedoctor: fewer periods give ratios that are noise");


    public CpuThrottledRule(Thresholds thresholds) {
        super(ID, thresholds);
    }


    @Override
    public List<Finding> evaluate(Observations obs) {
        Delta d = obs.cpu().get().orElse(null);
        if (d == null) {
            return List.of();
        }
        double ratio = value(RATIO);
        double critical = value(CRITICAL_RATIO);
        double minPeriods = value(MIN_PERIODS);
        List<CgroupDelta> hits = new ArrayList<>();
        for (CgroupDelta g : d.cgroups()) {
            if (g.hasLimit() && g.periods() >= minPeriods && g.throttlingRatio() >= ratio) {
                hits.add(g);
            }
        }
        List<Finding> out = new ArrayList<>();
        // a pod and its container both throttled by the same quota: tell it once, at the container
        for (CgroupDelta g : Hierarchy.deepest(hits, CgroupDelta::path, CgroupDelta::limitCores)) {
            out.add(finding(obs, d, g, g.throttlingRatio() >= critical ? Severity.CRITICAL : Severity.WARNING));
        }
        return out;
    }

    private Finding finding(Observations obs, Delta d, CgroupDelta g, Severity severity) {
        String stat = Sources.cgroupFile(obs.layout(), "cpu", g.path(), "cpu.stat");
        boolean v2 = obs.layout() != null && obs.layout().onV2("cpu");
        String limitFile = Sources.cgroupFile(obs.layout(), "cpu", g.path(), v2 ? "cpu.max" : "cpu.cfs_quota_us");
        double used = Math.max(0, g.cpuPercent()) / 100;
        // throttled_time sums, over CPUs, the time the group's run queues were held back: what it would
        // have run on top of what it got, so used + throttled is a lower bound of what it wanted
        double wanted = used + g.throttledMsPerSecond() / 1000;
        List<Evidence> ev = new ArrayList<>();
        ev.add(Evidence.of("throttled periods", g.throttledPeriods(), "of " + g.periods(), stat));
        ev.add(Evidence.of("throttled share", 100 * g.throttlingRatio(), "%", stat));
        ev.add(Evidence.of("throttled time", g.throttledMsPerSecond(), "ms/s", stat));
        ev.add(Evidence.of("CPU used", used, "cores", v2 ? stat : Sources.cgroupFile(obs.layout(), "cpuacct", g.path(), "cpuacct.usage")));
        ev.add(Evidence.of("CPU limit", g.limitCores(), "cores", limitFile));
        ev.add(Evidence.of("CFS quota", g.now().quotaMicros(), "µs", limitFile));
        ev.add(Evidence.of("CFS period", g.now().periodMicros(), "µs",
                v2 ? limitFile : Sources.cgroupFile(obs.layout(), "cpu", g.path(), "cpu.cfs_period_us")));
        ev.add(Evidence.of("CPU wanted (at least)", wanted, "cores", stat));
        if (g.now().burstMicros() >= 0) {
            ev.add(Evidence.of("CPU burst", g.now().burstMicros(), "µs",
                    Sources.cgroupFile(obs.layout(), "cpu", g.path(), v2 ? "cpu.max.burst" : "cpu.cfs_burst_us")));
        }
        if (g.cpuPressureSome() >= 0) {
            ev.add(Evidence.of("cpu.pressure some", g.cpuPressureSome(), "% of the window",
                    Sources.cgroupFile(obs.layout(), "cpu", g.path(), "cpu.pressure")));
        }
        ev.addAll(Subjects.kubernetes(g.path(), "cgroup path"));
        double hostIdle = d.host() == null ? -1 : d.host().all().idle();
        if (hostIdle >= 0) {
            ev.add(Evidence.of("host CPU idle meanwhile", hostIdle, "%", "/proc/stat"));
        }
        String title = String.format(Locale.ROOT, "CPU-throttled in %.0f%% of periods: wants %s cores, limit is %s",
                100 * g.throttlingRatio(), Evidence.format(wanted), Evidence.format(g.limitCores()));
        String why = String.format(Locale.ROOT,
                "The cgroup may use %s µs of CPU every %s µs (%s cores). Its tasks used that up before the period "
                        + "ended in %d of %d periods, and the kernel then stopped them until the next period, "
                        + "for %s ms per second in total%s. Requests then wait although the machine may have idle "
                        + "CPU: latency spikes of up to a period (%s ms) per throttle.",
                g.now().quotaMicros(), g.now().periodMicros(), Evidence.format(g.limitCores()), g.throttledPeriods(),
                g.periods(), Evidence.format(g.throttledMsPerSecond()),
                hostIdle >= 0 ? String.format(Locale.ROOT, " while the host was %.0f%% idle", hostIdle) : "",
                Evidence.format(g.now().periodMicros() / 1000.0));
        StringBuilder fix = new StringBuilder();
        double suggested = Math.ceil(wanted * 1.25 * 10) / 10;
        fix.append(String.format(Locale.ROOT, "Raise the CPU limit to at least %s cores (%dm), or remove the "
                + "limit and keep a request. ", Evidence.format(suggested), Math.round(suggested * 1000)));
        if (g.now().burstMicros() >= 0) {
            fix.append("This kernel has CFS burst: letting the cgroup bank unused quota (")
                    .append(v2 ? "cpu.max.burst" : "cpu.cfs_burst_us")
                    .append(", up to the quota) absorbs short spikes without raising the average. ");
        } else {
            fix.append("CFS burst (Linux ≥ 5.14) would let it bank unused quota for short spikes. ");
        }
        fix.append("Many threads hit the quota faster: size GOMAXPROCS / -XX:ActiveProcessorCount / worker pools "
                + "to the limit, not to the node's cores.");
        return new Finding(ID, severity, Subjects.cgroup(g.path()), title, ev, why, fix.toString(),
                List.of("https://www.kernel.org/doc/html/latest/scheduler/sched-bwc.html",
                        "https://github.com/kubernetes-monitoring/kubernetes-mixin (CPUThrottlingHigh)"),
                List.of(), g.throttlingRatio());
    }
}
