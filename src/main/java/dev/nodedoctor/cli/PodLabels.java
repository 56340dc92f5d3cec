package dev.nodedoctor.cli;

/** How tables label a cgroup path with its Kubernetes pod, when it has one. */
final class PodLabels {
    private PodLabels() {
    }

    static String of(String cgroupPath) {
        return null;
    }
}
