package dev.nodedoctor.kube;

/**
 * The cgroup settings kubelet asks the runtime to give one container.
 *
 * @param shares           cgroup v1 {@code cpu.shares}
 * @param weight           cgroup v2 {@code cpu.weight} by kubelet's linear conversion (see {@link CpuWeight})
 * @param quotaMicros      {@code cpu.cfs_quota_us} / the first field of {@code cpu.max}; -1 for no limit
 * @param periodMicros     {@code cpu.cfs_period_us} / the second field of {@code cpu.max}
 * @param memoryLimitBytes {@code memory.limit_in_bytes} / {@code memory.max}; -1 for no limit
 * @param qos              the pod's QoS class (for a pod of this one container)
 * @param oomScoreAdj      the container processes' {@code oom_score_adj}; null when it depends on the node's
 *                         memory capacity and that was not given
 */
public record CgroupValues(long shares, long weight, long quotaMicros, long periodMicros, long memoryLimitBytes,
                           QosClass qos, Integer oomScoreAdj) {

    /** The v2 {@code cpu.max} line: {@code "50000 100000"} or {@code "max 100000"}. */
    public String cpuMax() {
        return (quotaMicros < 0 ? "max" : Long.toString(quotaMicros)) + " " + periodMicros;
    }

    /** The v2 {@code memory.max} value: bytes, or {@code "max"}. */
    public String memoryMax() {
        return memoryLimitBytes < 0 ? "max" : Long.toString(memoryLimitBytes);
    }

    /**
     * The container scope's {@code cpu.weight} when runc 1.3.2+ or a newer crun converts the shares
     * ({@link CpuWeight#logQuadratic}); the pod's own cgroup keeps {@link #weight()}.
     */
    public long weightNewRuntimes() {
        return CpuWeight.logQuadratic(shares);
    }
}
