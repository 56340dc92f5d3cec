package dev.nodedoctor.kube;

/**
 * One container's CPU and memory requests and limits, as written in a pod spec. {@code null} means "not
 * set", which is not the same as 0: kubelet gives a container without a CPU request but with a limit the
 * limit's shares, and one with an explicit {@code cpu: 0} request the minimum (2 shares).
 *
 * @param cpuRequestMillis   CPU request in millicores, or null
 * @param cpuLimitMillis     CPU limit in millicores, or null; 0 means no limit, as in Kubernetes
 * @param memoryRequestBytes memory request in bytes, or null
 * @param memoryLimitBytes   memory limit in bytes, or null; 0 means no limit
 */
public record ResourceSpec(Long cpuRequestMillis, Long cpuLimitMillis, Long memoryRequestBytes, Long memoryLimitBytes) {

    public ResourceSpec {
        nonNegative("CPU request", cpuRequestMillis, "m");
        nonNegative("CPU limit", cpuLimitMillis, "m");
        nonNegative("memory request", memoryRequestBytes, " bytes");
        nonNegative("memory limit", memoryLimitBytes, " bytes");
        // The API server rejects these pods (ValidateResourceRequirements), so kubelet never sees them.
        notAbove("CPU", cpuRequestMillis, cpuLimitMillis, "m");
        notAbove("memory", memoryRequestBytes, memoryLimitBytes, " bytes");
    }

    /** Parses the four quantities; null or empty text means not set. */
    public static ResourceSpec parse(String cpuRequest, String cpuLimit, String memoryRequest, String memoryLimit) {
        return new ResourceSpec(cpuMillis(cpuRequest), cpuMillis(cpuLimit), memoryBytes(memoryRequest), memoryBytes(memoryLimit));
    }

    /** A CPU quantity in millicores (rounded up), or null for null or empty text. */
    public static Long cpuMillis(String text) {
        return text == null || text.isEmpty() ? null : nonNegative(Quantity.parse(text)).milliValue();
    }

    /** A memory quantity in bytes (rounded up), or null for null or empty text. */
    public static Long memoryBytes(String text) {
        return text == null || text.isEmpty() ? null : nonNegative(Quantity.parse(text)).value();
    }

    /**
     * The CPU request after the API server's defaulting (SetDefaults_Pod): a request that is absent takes
     * the limit's value. kubelet repeats this rule for containers created before it existed
     * (calculateLinuxResources in pkg/kubelet/kuberuntime/kuberuntime_container_linux.go).
     */
    public long effectiveCpuRequestMillis() {
        return cpuRequestMillis != null ? cpuRequestMillis : orZero(cpuLimitMillis);
    }

    /** The memory request after the same defaulting: an absent request takes the limit's value. */
    public long effectiveMemoryRequestBytes() {
        return memoryRequestBytes != null ? memoryRequestBytes : orZero(memoryLimitBytes);
    }

    /**
     * The QoS class of a pod made of this one container, by kubelet's rule (resourceQOS in
     * pkg/apis/core/v1/helper/qos/qos.go) applied to the defaulted requests: Guaranteed when CPU and memory
     * both have requests equal to non-zero limits, BestEffort when neither has a request or limit, else
     * Burstable.
     */
    public QosClass qos() {
        long cpuReq = effectiveCpuRequestMillis();
        long cpuLim = orZero(cpuLimitMillis);
        long memReq = effectiveMemoryRequestBytes();
        long memLim = orZero(memoryLimitBytes);
        if (cpuReq != cpuLim || memReq != memLim) {
            return QosClass.BURSTABLE;
        }
        boolean cpuNone = cpuReq == 0;
        boolean memNone = memReq == 0;
        if (cpuNone && memNone) {
            return QosClass.BESTEFFORT;
        }
        return cpuNone == memNone ? QosClass.GUARANTEED : QosClass.BURSTABLE;
    }

    private static Quantity nonNegative(Quantity q) {
        if (q.isNegative()) {
            throw new IllegalArgumentException("quantity '" + q.text() + "' is negative: requests and limits must be 0 or more");
        }
        return q;
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    private static void nonNegative(String what, Long v, String unit) {
        if (v != null && v < 0) {
            throw new IllegalArgumentException(what + " must not be negative, got " + v + unit);
        }
    }

    private static void notAbove(String what, Long request, Long limit, String unit) {
        if (request != null && limit != null && request > limit) {
            throw new IllegalArgumentException(what + " request " + request + unit + " is above its limit " + limit + unit
                    + ": Kubernetes rejects a request above the limit");
        }
    }
}
