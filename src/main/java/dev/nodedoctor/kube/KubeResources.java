package dev.nodedoctor.kube;

/**
 * The arithmetic kubelet uses to turn a container's requests and limits into cgroup settings, so that a
 * value read from a cgroup can be checked against the pod spec (and the other way round).
 * <p>
 * Sources: MilliCPUToShares and MilliCPUToQuota in pkg/kubelet/cm/helpers_linux.go; calculateLinuxResources
 * in pkg/kubelet/kuberuntime/kuberuntime_container_linux.go; GetContainerOOMScoreAdjust in
 * pkg/kubelet/qos/policy.go. Not modelled: the CPU manager's exclusive CPUs (which can switch the quota off),
 * pod-level resources (a feature gate), sidecar containers and node-critical pods (both change
 * oom_score_adj), and memory QoS ({@code memory.min}/{@code memory.high}).
 */
public final class KubeResources {

    /** The kernel's minimum cpu.shares; kubelet gives it to containers without a CPU request. */
    public static final long MIN_SHARES = CpuWeight.MIN_SHARES;
    /** The kernel's maximum cpu.shares (MAX_SHARES = 1 << 18). */
    public static final long MAX_SHARES = CpuWeight.MAX_SHARES;
    public static final long SHARES_PER_CPU = 1024;
    public static final long MILLI_CPU_TO_CPU = 1000;
    /** The default CFS period, 100 ms; kubelet's --cpu-cfs-quota-period can change it. */
    public static final long QUOTA_PERIOD = 100_000;
    /** The smallest quota the kernel accepts, 1 ms; kubelet raises smaller ones to it. */
    public static final long MIN_QUOTA_PERIOD = 1000;

    static final int GUARANTEED_OOM_SCORE_ADJ = -997;
    static final int BESTEFFORT_OOM_SCORE_ADJ = 1000;

    private KubeResources() {
    }

    /** cpu.shares for a CPU request: {@code max(2, millicores * 1024 / 1000)}, at most 262144. */
    public static long milliCpuToShares(long milliCpu) {
        // Conceptually millicores / 1000 * 1024, multiplied first so that 50m gives 51, not 0.
        long shares = milliCpu > Long.MAX_VALUE / SHARES_PER_CPU ? MAX_SHARES : milliCpu * SHARES_PER_CPU / MILLI_CPU_TO_CPU;
        return Math.min(MAX_SHARES, Math.max(MIN_SHARES, shares));
    }

    /**
     * cpu.cfs_quota_us for a CPU limit: {@code millicores * period / 1000}, at least 1000 µs. A limit of 0
     * (none) gives -1: kubelet then passes quota 0, "unset", and the cgroup keeps the kernel default, -1 in
     * v1 and {@code max} in v2.
     */
    public static long milliCpuToQuota(long milliCpu, long periodMicros) {
        if (milliCpu <= 0) {
            return -1;
        }
        long quota;
        try {
            quota = Math.multiplyExact(milliCpu, periodMicros) / MILLI_CPU_TO_CPU;
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("CPU limit " + milliCpu + "m is too large for a CFS quota");
        }
        return Math.max(MIN_QUOTA_PERIOD, quota);
    }

    /**
     * The oom_score_adj kubelet gives a container's processes. Guaranteed: -997; BestEffort: 1000; Burstable:
     * {@code 1000 - 1000 * memoryRequest / memoryCapacity}, kept in [3, 999]: 3 (= 1000 - 997) so that a
     * Burstable container is never killed after a Guaranteed one, and 999 so that it goes before BestEffort.
     *
     * @param memoryCapacityBytes the node's memory (cAdvisor's MemoryCapacity, i.e. MemTotal); null is
     *                            allowed when the answer does not depend on it
     * @return the adjustment, or null when it depends on a capacity that was not given
     */
    public static Integer oomScoreAdj(QosClass qos, long memoryRequestBytes, Long memoryCapacityBytes) {
        switch (qos) {
            case GUARANTEED:
                return GUARANTEED_OOM_SCORE_ADJ;
            case BESTEFFORT:
                return BESTEFFORT_OOM_SCORE_ADJ;
            default:
                break;
        }
        if (memoryRequestBytes == 0) {
            return BESTEFFORT_OOM_SCORE_ADJ - 1; // 1000 - 0, then moved below BestEffort
        }
        if (memoryCapacityBytes == null) {
            return null;
        }
        if (memoryCapacityBytes <= 0) {
            throw new IllegalArgumentException("node memory must be above 0, got " + memoryCapacityBytes + " bytes");
        }
        // 1000 * request overflows only beyond 9 PB; such a request is above any node's memory anyway.
        long scaled = memoryRequestBytes > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : 1000 * memoryRequestBytes;
        long adj = 1000 - scaled / memoryCapacityBytes;
        long floor = 1000 + GUARANTEED_OOM_SCORE_ADJ;
        if (adj < floor) {
            return (int) floor;
        }
        return (int) Math.min(adj, BESTEFFORT_OOM_SCORE_ADJ - 1);
    }

    /** The settings for one container with the default CFS period. */
    public static CgroupValues forContainer(ResourceSpec spec, Long nodeMemoryBytes) {
        return forContainer(spec, nodeMemoryBytes, QUOTA_PERIOD);
    }

    /**
     * The settings kubelet asks for one container, as calculateLinuxResources does. The shares come from
     * the request after defaulting (an absent request takes the limit), the quota from the limit, the
     * memory limit from the memory limit, and QoS and oom_score_adj as for a pod of this one container.
     *
     * @param nodeMemoryBytes the node's memory capacity for a Burstable oom_score_adj; may be null
     * @param periodMicros    the CFS period (kubelet's --cpu-cfs-quota-period, default 100000)
     */
    public static CgroupValues forContainer(ResourceSpec spec, Long nodeMemoryBytes, long periodMicros) {
        if (periodMicros < MIN_QUOTA_PERIOD) {
            throw new IllegalArgumentException("CFS period must be at least " + MIN_QUOTA_PERIOD + " µs, got " + periodMicros);
        }
        QosClass qos = spec.qos();
        long shares = milliCpuToShares(spec.effectiveCpuRequestMillis());
        long cpuLimit = spec.cpuLimitMillis() == null ? 0 : spec.cpuLimitMillis();
        long memLimit = spec.memoryLimitBytes() == null || spec.memoryLimitBytes() == 0 ? -1 : spec.memoryLimitBytes();
        return new CgroupValues(shares, CpuWeight.linear(shares), milliCpuToQuota(cpuLimit, periodMicros), periodMicros,
                memLimit, qos, oomScoreAdj(qos, spec.effectiveMemoryRequestBytes(), nodeMemoryBytes));
    }
}
