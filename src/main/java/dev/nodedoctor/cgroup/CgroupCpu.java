package dev.nodedoctor.cgroup;

/**
 * CPU state of one cgroup, the same fields for v1 and v2 (converted to common units). Absent values are -1.
 *
 * @param usageNanos       total CPU time used (v1 cpuacct.usage, v2 cpu.stat usage_usec × 1000)
 * @param userNanos        user part (v1 cpuacct.stat user × 10 ms, v2 user_usec), -1 if unknown
 * @param systemNanos      system part, -1 if unknown
 * @param quotaMicros      CFS quota per period; -1 = no limit (v1 cfs_quota_us -1, v2 cpu.max "max")
 * @param periodMicros     CFS period (normally 100000)
 * @param burstMicros      CFS burst (v1 cpu.cfs_burst_us, v2 cpu.max.burst), -1 if the kernel has none
 * @param shares           v1 cpu.shares, -1 on v2
 * @param weight           v2 cpu.weight, -1 on v1
 * @param periods          enforcement periods that elapsed while the cgroup had runnable tasks
 * @param throttledPeriods periods in which the cgroup ran out of quota
 * @param throttledNanos   total time its tasks were held back by the quota
 */
public record CgroupCpu(long usageNanos, long userNanos, long systemNanos, long quotaMicros, long periodMicros,
                        long burstMicros, long shares, long weight, long periods, long throttledPeriods,
                        long throttledNanos) {

    public boolean hasQuota() {
        return quotaMicros > 0 && periodMicros > 0;
    }

    /** The limit in cores (quota / period), or -1 if unlimited. */
    public double limitCores() {
        return hasQuota() ? (double) quotaMicros / periodMicros : -1;
    }
}
