package dev.nodedoctor.sample;

import dev.nodedoctor.cgroup.CgroupCpu;
import dev.nodedoctor.cgroup.CgroupStats;
import dev.nodedoctor.host.CpuTimes;
import dev.nodedoctor.host.Pressure;
import dev.nodedoctor.host.ProcStat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Rates between two snapshots. Counters are cumulative in the kernel; everything a user reads ("50 % of a
 * core", "throttled in 90 % of periods") is a difference divided by the interval, computed here once.
 */
public record Delta(double seconds, Snapshot before, Snapshot after, HostDelta host, List<ProcessDelta> processes,
                    List<CgroupDelta> cgroups, List<String> notes) {

    /** USER_HZ: /proc/[pid]/stat counts CPU time in 1/100 s on every Linux architecture we run on. */
    static final double TICKS_PER_SECOND = 100.0;

    public static Delta between(Snapshot a, Snapshot b) {
        double seconds = Math.max(1e-3, (b.monotonicNanos() - a.monotonicNanos()) / 1e9);
        HostDelta host = host(a, b, seconds);
        List<ProcessDelta> procs = new ArrayList<>();
        b.processes().forEach((pid, now) -> {
            ProcessSample then = a.processes().get(pid);
            if (now.sameProcessAs(then)) {
                procs.add(process(then, now, seconds));
            }
        });
        procs.sort(Comparator.comparingDouble(ProcessDelta::cpuPercent).reversed());
        List<CgroupDelta> groups = new ArrayList<>();
        b.cgroups().forEach((path, now) -> {
            CgroupStats then = a.cgroups().get(path);
            if (then != null && then.cpu() != null && now.cpu() != null) {
                groups.add(cgroup(then, now, seconds));
            }
        });
        groups.sort(Comparator.comparingDouble(CgroupDelta::cpuPercent).reversed());
        Set<String> notes = new LinkedHashSet<>(a.notes());
        notes.addAll(b.notes());
        return new Delta(seconds, a, b, host, List.copyOf(procs), List.copyOf(groups), List.copyOf(notes));
    }

    private static HostDelta host(Snapshot a, Snapshot b, double seconds) {
        ProcStat sa = a.host().stat(), sb = b.host().stat();
        if (sa == null || sb == null) {
            return null;
        }
        List<HostCpuDelta> per = new ArrayList<>(sb.perCpu().size());
        for (CpuTimes now : sb.perCpu()) {
            for (CpuTimes then : sa.perCpu()) {
                if (then.cpu().equals(now.cpu())) {
                    per.add(HostCpuDelta.between(then, now));
                    break;
                }
            }
        }
        return new HostDelta(HostCpuDelta.between(sa.all(), sb.all()), List.copyOf(per), sb.perCpu().size(),
                Math.max(0, sb.contextSwitches() - sa.contextSwitches()) / seconds, sb.running(), sb.blocked(),
                b.host().load(), b.host().cpuPressure(),
                someShare(a.host().cpuPressure(), b.host().cpuPressure(), seconds),
                someShare(a.host().memoryPressure(), b.host().memoryPressure(), seconds),
                someShare(a.host().ioPressure(), b.host().ioPressure(), seconds));
    }

    /** PSI "some" total is microseconds of stall; over the interval it gives an exact share in percent. */
    static double someShare(Pressure a, Pressure b, double seconds) {
        if (a == null || b == null) {
            return -1;
        }
        long micros = b.some().totalMicros() - a.some().totalMicros();
        return Math.min(100, Math.max(0, micros / (seconds * 1e4)));
    }

    private static ProcessDelta process(ProcessSample a, ProcessSample b, double seconds) {
        long user = Math.max(0, b.stat().userTicks() - a.stat().userTicks());
        long sys = Math.max(0, b.stat().systemTicks() - a.stat().systemTicks());
        // utime/stime ticks include threads that already exited, as pidstat's figures do
        double userPct = user / TICKS_PER_SECOND / seconds * 100;
        double sysPct = sys / TICKS_PER_SECOND / seconds * 100;
        double cpu = userPct + sysPct;
        double runq = -1;
        double schedules = a.timeslices() >= 0 && b.timeslices() >= 0
                ? Math.max(0, b.timeslices() - a.timeslices()) / seconds : -1;
        if (a.waitNanos() >= 0 && b.waitNanos() >= 0) {
            // summed over live threads only: a thread that exited takes its wait with it, so floor at 0
            runq = Math.max(0, b.waitNanos() - a.waitNanos()) / 1e6 / seconds;
        }
        double vol = -1, invol = -1;
        long threads = b.stat().threads();
        long rss = -1;
        if (a.status() != null && b.status() != null) {
            vol = Math.max(0, b.status().voluntaryContextSwitches() - a.status().voluntaryContextSwitches()) / seconds;
            invol = Math.max(0, b.status().involuntaryContextSwitches() - a.status().involuntaryContextSwitches()) / seconds;
            rss = b.status().vmRssKb();
        }
        return new ProcessDelta(b.pid(), b.stat().comm(), b.cmdline(), b.cgroup(), cpu, userPct, sysPct, threads,
                vol, invol, runq, rss, schedules);
    }

    private static CgroupDelta cgroup(CgroupStats a, CgroupStats b, double seconds) {
        CgroupCpu ca = a.cpu(), cb = b.cpu();
        double cpu = percentOfCore(rate(ca.usageNanos(), cb.usageNanos(), seconds));
        double user = percentOfCore(rate(ca.userNanos(), cb.userNanos(), seconds));
        double sys = percentOfCore(rate(ca.systemNanos(), cb.systemNanos(), seconds));
        long periods = ca.periods() < 0 || cb.periods() < 0 ? 0 : Math.max(0, cb.periods() - ca.periods());
        long throttled = ca.throttledPeriods() < 0 || cb.throttledPeriods() < 0 ? 0
                : Math.max(0, cb.throttledPeriods() - ca.throttledPeriods());
        double throttledMs = rate(ca.throttledNanos(), cb.throttledNanos(), seconds) / 1e6;
        long tasks = b.pids() == null ? -1 : b.pids().current();
        return new CgroupDelta(b.path(), cpu, user, sys, cb.limitCores(),
                periods, throttled, Math.max(0, throttledMs), tasks,
                someShare(a.cpuPressure(), b.cpuPressure(), seconds), cb);
    }

    /** Nanoseconds of CPU per second → percent of one core; -1 stays "unknown". */
    private static double percentOfCore(double nanosPerSecond) {
        return nanosPerSecond < 0 ? -1 : nanosPerSecond / 1e7;
    }

    /** Per-second rate of a counter, or -1 when either side is unknown. */
    private static double rate(long a, long b, double seconds) {
        if (a < 0 || b < 0) {
            return -1;
        }
        return Math.max(0, b - a) / seconds;
    }
}
