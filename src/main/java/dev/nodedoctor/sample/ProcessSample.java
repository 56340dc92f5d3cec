package dev.nodedoctor.sample;

import dev.nodedoctor.host.ProcessStat;
import dev.nodedoctor.host.ProcessStatus;

/**
 * One process at one instant.
 *
 * @param runNanos  CPU time from schedstat summed over all threads (-1 if unreadable)
 * @param waitNanos run-queue wait from schedstat summed over all threads (-1 if unreadable)
 * @param timeslices times any of its threads was put on a CPU (schedstat field 3, summed), -1 if unreadable
 * @param cgroup    the process's cgroup in the CPU hierarchy (v1 "cpu" line, or the v2 line), or null
 * @param memoryCgroup its cgroup in the memory hierarchy (differs from {@code cgroup} on v1), or null
 */
public record ProcessSample(ProcessStat stat, ProcessStatus status, long runNanos, long waitNanos, long timeslices,
                            String cgroup, String cmdline, String memoryCgroup) {

    public int pid() {
        return stat.pid();
    }

    /** True for the same process (not a re-used pid) as {@code other}. */
    public boolean sameProcessAs(ProcessSample other) {
        return other != null && other.stat.pid() == stat.pid() && other.stat.startTicks() == stat.startTicks();
    }

    /** Kernel threads have no command line and no memory map. */
    public boolean isKernelThread() {
        return cmdline != null && cmdline.isEmpty() && (status == null || status.vmRssKb() < 0);
    }
}
