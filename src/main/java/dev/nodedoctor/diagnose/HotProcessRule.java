package dev.nodedoctor.diagnose;

import dev.nodedoctor.sample.Delta;
import dev.nodedoctor.sample.ProcessDelta;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code cpu.hot-process}: a process uses most of a core or more. The kubelet-at-100 % case: the question is
 * then whether it spends it in its own code (user) or in the kernel (system: syscalls, page faults, reading
 * cgroup files), which decides the next tool.
 */
public final class HotProcessRule extends ConfiguredRule {
    public static final String ID = "cpu.hot-process";

    public static final Threshold PERCENT = new Threshold("cpu.hot-process.percent", 80,
            "CPU use of one process in percent of one core",
            "nodedoctor: 'most of a core'; a single-threaded process at 80 % is close to saturation");
    public static final Threshold CRITICAL_PERCENT = new Threshold("cpu.hot-process.critical-percent", 100,
            "CPU use in percent of one core for critical, when the host also has under 10 % idle",
            "nodedoctor: a full core on a busy host takes CPU from everything else");
    static final int MAX_REPORTED = 5;

    private final long ownPid;

    public HotProcessRule(Thresholds thresholds) {
        this(thresholds, ProcessHandle.current().pid());
    }

    HotProcessRule(Thresholds thresholds, long ownPid) {
        super(ID, thresholds);
        this.ownPid = ownPid;
    }


    @Override
    public List<Finding> evaluate(Observations obs) {
        Delta d = obs.cpu().get().orElse(null);
        if (d == null) {
            return List.of();
        }
        double limit = value(PERCENT);
        double critical = value(CRITICAL_PERCENT);
        double hostIdle = d.host() == null ? 100 : d.host().all().idle();
        List<Finding> out = new ArrayList<>();
        for (ProcessDelta p : d.processes()) { // sorted by CPU, highest first
            if (p.cpuPercent() < limit || out.size() == MAX_REPORTED) {
                break;
            }
            if (p.pid() == ownPid && obs.root().equals("/")) {
                continue;
            }
            Severity sev = p.cpuPercent() >= critical && hostIdle < 10 ? Severity.CRITICAL : Severity.WARNING;
            out.add(finding(d, p, sev));
        }
        return out;
    }

    private Finding finding(Delta d, ProcessDelta p, Severity sev) {
        String stat = Sources.process(p.pid(), "stat");
        List<Evidence> ev = new ArrayList<>();
        ev.add(Evidence.of("CPU", p.cpuPercent(), "% of one core", stat));
        ev.add(Evidence.of("user", p.userPercent(), "%", stat + " (utime)"));
        ev.add(Evidence.of("system", p.systemPercent(), "%", stat + " (stime)"));
        ev.add(Evidence.of("threads", p.threads(), "", stat));
        if (p.voluntarySwitchesPerSecond() >= 0) {
            ev.add(Evidence.of("voluntary switches (main thread)", p.voluntarySwitchesPerSecond(), "/s",
                    Sources.process(p.pid(), "status")));
            ev.add(Evidence.of("involuntary switches (main thread)", p.involuntarySwitchesPerSecond(), "/s",
                    Sources.process(p.pid(), "status")));
        }
        if (p.schedulesPerSecond() >= 0) {
            ev.add(Evidence.of("times scheduled (all threads)", p.schedulesPerSecond(), "/s",
                    Sources.process(p.pid(), "task/*/schedstat")));
        }
        if (p.cgroup() != null) {
            ev.add(Evidence.text("cgroup", p.cgroup(), Sources.process(p.pid(), "cgroup")));
            ev.addAll(Subjects.kubernetes(p.cgroup(), Sources.process(p.pid(), "cgroup")));
        }
        if (p.cmdline() != null && !p.cmdline().isEmpty()) {
            ev.add(Evidence.text("command", p.cmdline(), Sources.process(p.pid(), "cmdline")));
        }
        boolean kernelHeavy = p.systemPercent() > p.userPercent();
        String title = String.format(Locale.ROOT, "%s uses %.0f%% of a core (%.0f%% user, %.0f%% system)",
                p.name(), p.cpuPercent(), p.userPercent(), p.systemPercent());
        String why = kernelHeavy
                ? "Most of its CPU time is system time: the kernel working on its behalf — system calls, page "
                + "faults, or reading kernel files that are expensive to produce (a kubelet or cAdvisor reading "
                + "memory.stat of many cgroups spends its time here). Many voluntary context switches point at "
                + "lock or timer waits (futex)."
                : "Most of its CPU time is user time: its own code is running — a busy loop, heavy computation, "
                + "or garbage collection in a managed runtime. With " + p.threads() + " threads it can use "
                + "more than one core.";
        String fix = kernelHeavy
                ? "Find which system calls: `strace -c -f -p " + p.pid() + "` for 10 s (Ctrl-C prints the table). "
                + "If it reads cgroup statistics, check for dying memory cgroups and slow memory.stat reads."
                : "Profile it: for Go, `go tool pprof http://HOST:PORT/debug/pprof/profile?seconds=30`; otherwise "
                + "`perf record -g -p " + p.pid() + " -- sleep 30` and a flame graph of `perf script`. If garbage "
                + "collection dominates, reduce the number of objects allocated.";
        return new Finding(ID, sev, Subjects.process(p.pid(), p.name()), title, ev, why, fix,
                List.of("man 5 proc (/proc/pid/stat utime, stime)"), List.of(), p.cpuPercent() / 100);
    }
}
