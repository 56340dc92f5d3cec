package dev.nodedoctor.diagnose;

import dev.nodedoctor.kube.KubeCgroup;
import dev.nodedoctor.kube.PodRef;

import java.util.List;

/** How findings name what they are about, the same way everywhere. */
public final class Subjects {
    private Subjects() {
    }

    /**
     * The Kubernetes identity of a cgroup path as evidence lines (pod UID, container, QoS class), derived
     * from the path alone; empty for cgroups outside kubepods.
     */
    public static List<Evidence> kubernetes(String cgroupPath, String source) {
        if (cgroupPath == null) {
            return List.of();
        }
        return KubeCgroup.parse(cgroupPath).map(ref -> podEvidence(ref, source)).orElse(List.of());
    }

    private static List<Evidence> podEvidence(PodRef ref, String source) {
        if (ref.containerId() == null) {
            return List.of(Evidence.text("pod UID", ref.podUid(), source),
                    Evidence.text("QoS class", ref.qos().label(), source));
        }
        return List.of(Evidence.text("pod UID", ref.podUid(), source),
                Evidence.text("container ID", ref.containerId()
                        + (ref.runtime() == null ? "" : " (" + ref.runtime() + ")"), source),
                Evidence.text("QoS class", ref.qos().label(), source));
    }

    public static String cgroup(String path) {
        return "cgroup " + path;
    }

    public static String process(int pid, String name) {
        return "pid " + pid + " (" + name + ")";
    }

    public static final String HOST = "host";
}
