package dev.nodedoctor.diagnose;

import dev.nodedoctor.sample.Delta;
import dev.nodedoctor.sample.HostCpuDelta;

import java.util.List;

/** {@code cpu.system-time}: the kernel itself takes a large share of the CPU. */
public final class SystemTimeRule extends HostCpuShareRule {
    public static final String ID = "cpu.system-time";
    public static final Threshold ALL = new Threshold("cpu.system-time.percent", 20,
            "system (sy) time over all CPUs, percent",
            "nodedoctor: healthy application nodes spend well under 10 % in sy; 20 % is twice that");
    public static final Threshold ONE = new Threshold("cpu.system-time.one-cpu-percent", 50,
            "system (sy) time on any single CPU, percent", "nodedoctor: one CPU half in the kernel");

    public SystemTimeRule(Thresholds t) {
        super(t, new Spec(ID, "system (sy)", HostCpuDelta::system, ALL, ONE,
                "The kernel uses %.0f%% of the CPU time (system)",
                "System time is the kernel running on behalf of processes: system calls, page faults, lock "
                    + "contention inside the kernel, and work such as computing memory.stat for thousands of (dying) "
                    + "memory cgroups. It is CPU that applications do not get.",
                "Look at the processes with the most system time below; count the system calls of the top one "
                    + "(`strace -c -f -p PID`); take a kernel profile (`perf record -a -g -- sleep 10`, then a flame "
                    + "graph of `perf script`). A monitoring agent reading cgroup files is a common culprit.",
                List.of("man 5 proc (/proc/stat)", "https://www.brendangregg.com/usemethod.html")));
    }

    @Override
    void addEvidence(Delta d, List<Evidence> ev) {
        topSystemTime(d, ev);
    }
}
