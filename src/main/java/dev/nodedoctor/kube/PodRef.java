package dev.nodedoctor.kube;

import java.util.Objects;

/**
 * Who a cgroup belongs to, as far as its path alone can tell.
 *
 * @param podUid      the pod's UID as the API server spells it (dashes, not the underscores of systemd
 *                    slice names). Static pods have a 32-hex-digit hash as UID, without dashes.
 * @param containerId the CRI id (64 hex digits) of the container or pod sandbox whose cgroup this is, or
 *                    {@code null} for the pod's own cgroup, for CRI-O's {@code crio-conmon-<id>} monitor
 *                    cgroups (they hold conmon, not the container) and for other helper cgroups in a pod
 * @param qos         the QoS class the path encodes
 * @param runtime     {@code "containerd"}, {@code "crio"}, {@code "docker"}, or {@code null} when the path
 *                    does not say (the cgroupfs driver names containerd and docker cgroups by bare id)
 */
public record PodRef(String podUid, String containerId, QosClass qos, String runtime) {

    public PodRef {
        Objects.requireNonNull(podUid, "podUid");
        Objects.requireNonNull(qos, "qos");
    }

    /** True for the pod's cgroup itself (or a non-container cgroup inside it). */
    public boolean isPodLevel() {
        return containerId == null;
    }

    /** A short label for tables, e.g. {@code pod df494f48 / ctr 3230f737 (Burstable)}. */
    public String shortName() {
        StringBuilder sb = new StringBuilder("pod ").append(head(podUid));
        if (containerId != null) {
            sb.append(" / ctr ").append(head(containerId));
        }
        return sb.append(" (").append(qos.label()).append(')').toString();
    }

    // 8 characters is what people paste from `crictl ps` and `kubectl get pod -o yaml` when they search.
    private static String head(String id) {
        return id.length() <= 8 ? id : id.substring(0, 8);
    }
}
