package dev.nodedoctor.kube;

/**
 * cgroup v1 {@code cpu.shares} [2, 262144] to cgroup v2 {@code cpu.weight} [1, 10000]. Kubernetes still
 * computes shares and leaves the v2 conversion to whoever writes the file, and there are two formulas:
 * <ul>
 *   <li>{@link #linear}: {@code 1 + (shares - 2) * 9999 / 262142}. kubelet's own getCPUWeight
 *       (pkg/kubelet/cm/cgroup_manager_linux.go) uses it for the pod and QoS cgroups it writes itself, and
 *       runc used it for container cgroups up to 1.3.1. It maps the v1 default 1024 to 39, not to the v2
 *       default 100 (kubernetes/kubernetes#131216).</li>
 *   <li>{@link #logQuadratic}: a quadratic in log2(shares) that maps 2, 1024 and 262144 to 1, 100 and 10000.
 *       runc 1.3.2 / 1.4.0 (opencontainers/runc#4785, #4896) and newer crun (containers/crun#1721) use it
 *       for the container cgroups they create, so a container's {@code cpu.weight} on such a node is not
 *       its pod's.</li>
 * </ul>
 */
public final class CpuWeight {

    static final long MIN_SHARES = 2;
    static final long MAX_SHARES = 262_144;
    static final long MAX_WEIGHT = 10_000;

    private CpuWeight() {
    }

    /** kubelet's conversion; {@code shares} below 2 count as 2 (the kernel's minimum). */
    public static long linear(long shares) {
        if (shares >= MAX_SHARES) {
            return MAX_WEIGHT;
        }
        long s = Math.max(shares, MIN_SHARES);
        return 1 + ((s - MIN_SHARES) * 9999) / (MAX_SHARES - MIN_SHARES);
    }

    /**
     * The conversion of runc 1.3.2+ and newer crun: {@code ceil(10^((l^2 + 125 l) / 612 - 7/34))}, where
     * {@code l = log2(shares)}. (opencontainers/cgroups ConvertCPUSharesToCgroupV2Value, which kubernetes'
     * e2e framework copies in test/e2e/framework/pod/cgroups_linux.go.)
     */
    public static long logQuadratic(long shares) {
        if (shares <= MIN_SHARES) {
            return 1;
        }
        if (shares >= MAX_SHARES) {
            return MAX_WEIGHT;
        }
        double l = log2(shares);
        double exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
        return (long) Math.ceil(StrictMath.pow(10, exponent));
    }

    /** Exact for powers of two, as Go's math.Log2 is, so that 1024 gives exactly 10 and weight 100. */
    private static double log2(long x) {
        if (Long.bitCount(x) == 1) {
            return Long.numberOfTrailingZeros(x);
        }
        return StrictMath.log(x) / StrictMath.log(2);
    }
}
