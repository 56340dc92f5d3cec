package dev.nodedoctor.sample;

import dev.nodedoctor.cgroup.CgroupCpu;

/**
 * One cgroup over an interval.
 *
 * @param cpuPercent          CPU used, percent of one core
 * @param limitCores          quota / period, or -1 when there is no CFS limit
 * @param periods             CFS periods that elapsed with runnable tasks in this interval
 * @param throttledPeriods    of those, periods in which the quota ran out
 * @param throttledMsPerSecond milliseconds per second its tasks were held back by the quota
 * @param cpuPressureSome     v2 cpu.pressure "some" over this interval in percent, -1 if unknown
 */
public record CgroupDelta(String path, double cpuPercent, double userPercent, double systemPercent,
                          double limitCores, long periods, long throttledPeriods, double throttledMsPerSecond,
                          long tasks, double cpuPressureSome, CgroupCpu now) {

    /** Throttled periods / periods in this interval, 0..1; 0 when no period elapsed. */
    public double throttlingRatio() {
        return periods <= 0 ? 0 : (double) throttledPeriods / periods;
    }

    public boolean hasLimit() {
        return limitCores > 0;
    }
}
