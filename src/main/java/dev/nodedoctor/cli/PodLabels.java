package dev.nodedoctor.cli;

import dev.nodedoctor.kube.KubeCgroup;
import dev.nodedoctor.kube.PodRef;

/** How tables label a cgroup path with its Kubernetes pod, when it has one. */
final class PodLabels {
    private PodLabels() {
    }

    static String of(String cgroupPath) {
        return KubeCgroup.parse(cgroupPath).map(PodRef::shortName).orElse(null);
    }
}
