package dev.nodedoctor.kube;

/**
 * A pod's Kubernetes quality-of-service class. It decides where kubelet puts the pod's cgroup
 * ({@code kubepods/}, {@code kubepods/burstable/}, {@code kubepods/besteffort/}) and the
 * oom_score_adj of its processes.
 */
public enum QosClass {
    GUARANTEED("Guaranteed"),
    BURSTABLE("Burstable"),
    BESTEFFORT("BestEffort");

    private final String label;

    QosClass(String label) {
        this.label = label;
    }

    /** The spelling Kubernetes uses in {@code status.qosClass}. */
    public String label() {
        return label;
    }
}
