package dev.nodedoctor.kube;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads pod UID, container id, QoS class and runtime from a cgroup path alone, without asking the API
 * server. kubelet names the cgroups it creates one of two ways, after its cgroup driver:
 *
 * <pre>
 * cgroupfs: /kubepods[/burstable|/besteffort]/pod&lt;uid&gt;/&lt;64-hex id&gt;       (Guaranteed pods sit right under kubepods)
 *           /kubepods/pod&lt;uid&gt;/crio-&lt;id&gt;                                 (CRI-O keeps its prefix)
 * systemd:  /kubepods.slice[/kubepods-burstable.slice]/kubepods-burstable-pod&lt;uid with _&gt;.slice/cri-containerd-&lt;id&gt;.scope
 *           ... crio-&lt;id&gt;.scope, crio-conmon-&lt;id&gt;.scope, docker-&lt;id&gt;.scope
 * </pre>
 *
 * The systemd driver turns each {@code -} of the UID into {@code _}, because {@code -} separates the levels
 * of a slice name (kubelet's {@code escapeSystemdCgroupName}, pkg/kubelet/cm/cgroup_manager_linux.go).
 * <p>
 * The kubepods tree may sit below a prefix: kind runs kubelet with {@code --cgroup-root=/kubelet}, which
 * gives {@code /kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/...} or
 * {@code /kubelet/kubepods/...}, and a node inside a container can show {@code /docker/<id>/kubepods/...}.
 * So the parser looks for the pod level anywhere in the path, but only below a kubepods root, so that a
 * directory that merely starts with "pod" elsewhere is not taken for a pod.
 * <p>
 * Anything below the container level is ignored: crun puts the workload of a CRI-O container in a
 * {@code container} child of {@code crio-<id>.scope}, and programs may make their own sub-cgroups.
 */
public final class KubeCgroup {

    private static final String HEX = "[0-9a-fA-F]";
    // A UUID, or the 32-hex md5 kubelet gives a static pod whose manifest sets no UID
    // (applyDefaults in pkg/kubelet/config/common.go). A manifest may set any UID: those we do not know.
    private static final String UID = uid("-");
    private static final String SYSTEMD_UID = uid("_");
    private static final String ID = "([0-9a-fA-F]{64})";

    private static final Pattern CGROUPFS_POD = Pattern.compile("pod(" + UID + ")");
    private static final Pattern SYSTEMD_ROOT = Pattern.compile("(?:.+-)?kubepods\\.slice");
    private static final Pattern SYSTEMD_QOS = Pattern.compile("(?:.+-)?kubepods-(burstable|besteffort)\\.slice");
    private static final Pattern SYSTEMD_POD =
            Pattern.compile("(?:.+-)?kubepods(?:-(burstable|besteffort))?-pod(" + SYSTEMD_UID + ")\\.slice");

    // Container cgroup names by runtime. crio-conmon must be tried before crio.
    private static final Pattern CONTAINERD_SCOPE = Pattern.compile("cri-containerd-" + ID + "\\.scope");
    private static final Pattern CRIO_CONMON = Pattern.compile("crio-conmon-" + ID + "(?:\\.scope)?");
    private static final Pattern CRIO = Pattern.compile("crio-" + ID + "(?:\\.scope)?");
    private static final Pattern DOCKER_SCOPE = Pattern.compile("docker-" + ID + "\\.scope");
    private static final Pattern BARE_ID = Pattern.compile(ID);

    private KubeCgroup() {
    }

    private static String uid(String dash) {
        return HEX + "{8}" + dash + HEX + "{4}" + dash + HEX + "{4}" + dash + HEX + "{4}" + dash + HEX + "{12}"
                + "|" + HEX + "{32}";
    }

    /** A pod-level cgroup found in a path: where it is, its QoS class and the UID (with dashes). */
    private record PodLevel(int index, QosClass qos, String uid) {
    }

    /**
     * The pod (and container) a cgroup belongs to, or empty when the path is not inside a pod: outside
     * kubepods, or a kubepods or QoS level cgroup itself (see {@link #qosOf(String)} for those).
     *
     * @param path a cgroup path as in /proc/&lt;pid&gt;/cgroup ({@code /kubepods.slice/...}), or a directory
     *             under a cgroup mount ({@code /sys/fs/cgroup/kubepods/...}); a trailing slash is fine
     */
    public static Optional<PodRef> parse(String path) {
        if (path == null) {
            return Optional.empty();
        }
        String[] segs = segments(path);
        for (int i = 0; i < segs.length; i++) {
            PodLevel pod = podLevel(segs, i);
            if (pod != null) {
                return Optional.of(podRef(segs, pod));
            }
        }
        return Optional.empty();
    }

    /**
     * The QoS class a path encodes, also for the QoS level cgroups themselves ({@code /kubepods/burstable},
     * {@code kubepods-besteffort.slice}). Empty outside kubepods and for the kubepods root: that is the
     * node-allocatable cgroup, the parent of Guaranteed pods but not itself of any class.
     */
    public static Optional<QosClass> qosOf(String path) {
        Optional<PodRef> pod = parse(path);
        if (pod.isPresent()) {
            return Optional.of(pod.get().qos());
        }
        if (path == null) {
            return Optional.empty();
        }
        String[] segs = segments(path);
        for (int i = 0; i < segs.length; i++) {
            Matcher systemd = SYSTEMD_QOS.matcher(segs[i]);
            if (systemd.matches() && underSystemdRoot(segs, i)) {
                return Optional.of(qosWord(systemd.group(1)));
            }
            if (segs[i].equals("kubepods") && i + 1 < segs.length && isQosWord(segs[i + 1])) {
                return Optional.of(qosWord(segs[i + 1]));
            }
        }
        return Optional.empty();
    }

    /** segs[i] as a pod-level cgroup in its proper place, or null. */
    private static PodLevel podLevel(String[] segs, int i) {
        Matcher systemd = SYSTEMD_POD.matcher(segs[i]);
        if (systemd.matches()) {
            return underSystemdRoot(segs, i)
                    ? new PodLevel(i, qosWord(systemd.group(1)), systemd.group(2).replace('_', '-'))
                    : null;
        }
        Matcher cgroupfs = CGROUPFS_POD.matcher(segs[i]);
        if (!cgroupfs.matches() || i == 0) {
            return null;
        }
        String parent = segs[i - 1];
        if (parent.equals("kubepods")) {
            return new PodLevel(i, QosClass.GUARANTEED, cgroupfs.group(1));
        }
        if (isQosWord(parent) && i >= 2 && segs[i - 2].equals("kubepods")) {
            return new PodLevel(i, qosWord(parent), cgroupfs.group(1));
        }
        return null;
    }

    private static PodRef podRef(String[] segs, PodLevel pod) {
        String uid = pod.uid();
        QosClass qos = pod.qos();
        if (pod.index() + 1 >= segs.length) {
            return new PodRef(uid, null, qos, null);
        }
        String child = segs[pod.index() + 1];
        Matcher m;
        if ((m = CONTAINERD_SCOPE.matcher(child)).matches()) {
            return new PodRef(uid, m.group(1), qos, "containerd");
        }
        if (CRIO_CONMON.matcher(child).matches()) {
            // conmon, CRI-O's per-container monitor, runs in its own cgroup beside the container: its
            // CPU and memory are the pod's overhead, not the container's.
            return new PodRef(uid, null, qos, "crio");
        }
        if ((m = CRIO.matcher(child)).matches()) {
            return new PodRef(uid, m.group(1), qos, "crio");
        }
        if ((m = DOCKER_SCOPE.matcher(child)).matches()) {
            return new PodRef(uid, m.group(1), qos, "docker");
        }
        if ((m = BARE_ID.matcher(child)).matches()) {
            // the cgroupfs driver: containerd and docker (cri-dockerd) both use the bare id
            return new PodRef(uid, m.group(1), qos, null);
        }
        return new PodRef(uid, null, qos, null);
    }

    private static boolean underSystemdRoot(String[] segs, int i) {
        for (int j = 0; j < i; j++) {
            if (SYSTEMD_ROOT.matcher(segs[j]).matches()) {
                return true;
            }
        }
        return false;
    }

    private static boolean isQosWord(String s) {
        return s.equals("burstable") || s.equals("besteffort");
    }

    /** "burstable" → Burstable, "besteffort" → BestEffort, no word (null) → Guaranteed. */
    private static QosClass qosWord(String word) {
        if (word == null) {
            return QosClass.GUARANTEED;
        }
        return word.equals("burstable") ? QosClass.BURSTABLE : QosClass.BESTEFFORT;
    }

    private static String[] segments(String path) {
        return path.chars().allMatch(c -> c == '/') ? new String[0] : path.replaceAll("^/+|/+$", "").split("/+");
    }
}
