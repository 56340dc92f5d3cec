package dev.nodedoctor.kube;

import dev.nodedoctor.host.CgroupMembership;
import dev.nodedoctor.sys.Parser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.nodedoctor.kube.QosClass.BESTEFFORT;
import static dev.nodedoctor.kube.QosClass.BURSTABLE;
import static dev.nodedoctor.kube.QosClass.GUARANTEED;
import static org.assertj.core.api.Assertions.assertThat;

class KubeCgroupTest {

    // Names from the fixture README's hierarchy table (shared/fixtures/cgroup2-debian-6.1/README.md).
    static final String G_UID = "9d34c388-020b-4327-aa22-8f7472dfa286";
    static final String B_UID = "df494f48-9b0d-4b0a-a38e-e8ecbcc51690";
    static final String BE_UID = "8dd66803-bdd2-4157-a910-b4bf33ad7bf7";
    static final String FS_UID = "b47e2a11-746d-4a30-aae2-5f6ae7aa005b";

    static final String G = "kubepods.slice/kubepods-pod9d34c388_020b_4327_aa22_8f7472dfa286.slice";
    static final String G_SANDBOX = "78016d88b00d2e8a8421c63f8336f0d779ce81a1eaab9242cdcabbe3cb35a35a";
    static final String G_APP = "82d09898ea003cbf23a5fd036c36c9d616ac203ed0ca1504788be5ab14e37e3a";
    static final String B = "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-poddf494f48_9b0d_4b0a_a38e_e8ecbcc51690.slice";
    static final String B_SANDBOX = "be3ea3108af459f5e4bf81fb3a6928eaa31727350cb0abc69fa3d05cd9f9f4cf";
    static final String B_APP = "3230f737b03de3d001a61e82d2dcd0845794301a4779370e04fadee8a0e9e5e4";
    static final String BE = "kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod8dd66803_bdd2_4157_a910_b4bf33ad7bf7.slice";
    static final String BE_SANDBOX = "f8501fe47d7cbc7ac7ca5a28b21a5c07882f0b83feda315fc556381c235ed34e";
    static final String BE_APP = "860967675df26aa773b5eefd85bc3bb40a7ef0e4409700e5da779ccd5d76caa3";
    static final String FS = "kubepods/burstable/podb47e2a11-746d-4a30-aae2-5f6ae7aa005b";
    static final String FS_SANDBOX = "432d6ecfb443b62e51855e4af365c543f13df4081cdf898f70a2787d26bbe4d9";
    static final String FS_APP = "0fd25f547c35c507acf637094913bc08741451e71267ec74321f48e4b2fa1fcf";

    /** What each cgroup directory of the capture is, by the README; null = not inside a pod. */
    static Map<String, PodRef> expectedTree() {
        Map<String, PodRef> m = new HashMap<>();
        m.put("", null);
        m.put("init.scope", null);
        m.put("system.slice", null);
        m.put("system.slice/containerd.service", null);
        m.put("system.slice/kubelet.service", null);
        m.put("system.slice/fixture-capture.service", null);
        m.put("kubepods.slice", null);
        m.put("kubepods.slice/kubepods-burstable.slice", null);
        m.put("kubepods.slice/kubepods-besteffort.slice", null);
        m.put(G, new PodRef(G_UID, null, GUARANTEED, null));
        m.put(G + "/cri-containerd-" + G_SANDBOX + ".scope", new PodRef(G_UID, G_SANDBOX, GUARANTEED, "containerd"));
        m.put(G + "/cri-containerd-" + G_APP + ".scope", new PodRef(G_UID, G_APP, GUARANTEED, "containerd"));
        m.put(B, new PodRef(B_UID, null, BURSTABLE, null));
        m.put(B + "/cri-containerd-" + B_SANDBOX + ".scope", new PodRef(B_UID, B_SANDBOX, BURSTABLE, "containerd"));
        m.put(B + "/cri-containerd-" + B_APP + ".scope", new PodRef(B_UID, B_APP, BURSTABLE, "containerd"));
        m.put(BE, new PodRef(BE_UID, null, BESTEFFORT, null));
        m.put(BE + "/cri-containerd-" + BE_SANDBOX + ".scope", new PodRef(BE_UID, BE_SANDBOX, BESTEFFORT, "containerd"));
        m.put(BE + "/cri-containerd-" + BE_APP + ".scope", new PodRef(BE_UID, BE_APP, BESTEFFORT, "containerd"));
        m.put("kubepods", null);
        m.put("kubepods/burstable", null);
        m.put("kubepods/besteffort", null);
        m.put(FS, new PodRef(FS_UID, null, BURSTABLE, null));
        // cgroupfs names a containerd container by its bare id: the runtime is not in the path
        m.put(FS + "/" + FS_SANDBOX, new PodRef(FS_UID, FS_SANDBOX, BURSTABLE, null));
        m.put(FS + "/" + FS_APP, new PodRef(FS_UID, FS_APP, BURSTABLE, null));
        return m;
    }

    @Test
    void everyCgroupOfTheCaptureIsRecognisedAsTheReadmeSays() throws IOException {
        Path root = Cgroup2Fixture.cgroupRoot();
        List<String> dirs;
        try (Stream<Path> walk = Files.walk(root)) {
            dirs = walk.filter(Files::isDirectory).map(p -> root.relativize(p).toString()).collect(Collectors.toList());
        }
        Map<String, PodRef> expected = expectedTree();
        // The table must cover the whole tree, so that a new directory in the capture gets looked at.
        assertThat(dirs).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (String dir : dirs) {
            PodRef want = expected.get(dir);
            assertThat(KubeCgroup.parse("/" + dir)).as(dir).isEqualTo(Optional.ofNullable(want));
            // the same directory as a filesystem path, with the mount point in front and a trailing slash
            assertThat(KubeCgroup.parse(root.resolve(dir) + "/")).as("fs path of " + dir).isEqualTo(Optional.ofNullable(want));
        }
    }

    @Test
    void theProcessesOfTheCaptureMapToTheirPodsAndContainers() throws IOException, Parser.MalformedException {
        // pid → the container the README's hierarchy table puts it in
        Map<Integer, String> containerOfPid = Map.of(
                194, G_SANDBOX, 198, G_APP, 195, B_SANDBOX, 199, B_APP, 216, B_APP,
                196, BE_SANDBOX, 200, BE_APP, 197, FS_SANDBOX, 201, FS_APP);
        for (Map.Entry<Integer, String> e : containerOfPid.entrySet()) {
            Optional<PodRef> ref = KubeCgroup.parse(unifiedPath(e.getKey()));
            assertThat(ref).as("pid " + e.getKey()).isPresent();
            assertThat(ref.get().containerId()).as("pid " + e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(KubeCgroup.parse(unifiedPath(199)).get().shortName()).isEqualTo("pod df494f48 / ctr 3230f737 (Burstable)");
        // PID 1, containerd and kubelet stand-ins are not in pods
        for (int pid : new int[] {1, 187, 188, 192, 193}) {
            assertThat(KubeCgroup.parse(unifiedPath(pid))).as("pid " + pid).isEmpty();
        }
    }

    private static String unifiedPath(int pid) throws IOException, Parser.MalformedException {
        byte[] data = Files.readAllBytes(Cgroup2Fixture.root().resolve("proc/" + pid + "/cgroup"));
        List<CgroupMembership> lines = CgroupMembership.parse(data, data.length);
        return lines.stream().filter(CgroupMembership::isUnified).findFirst().orElseThrow().path();
    }

    @Test
    void qosOfTheQosLevelCgroupsOfTheCapture() {
        assertThat(KubeCgroup.qosOf("/kubepods.slice")).isEmpty();
        assertThat(KubeCgroup.qosOf("/kubepods.slice/kubepods-burstable.slice")).contains(BURSTABLE);
        assertThat(KubeCgroup.qosOf("/kubepods.slice/kubepods-besteffort.slice")).contains(BESTEFFORT);
        assertThat(KubeCgroup.qosOf("/" + G)).contains(GUARANTEED);
        assertThat(KubeCgroup.qosOf("/" + BE + "/cri-containerd-" + BE_APP + ".scope")).contains(BESTEFFORT);
        assertThat(KubeCgroup.qosOf("/kubepods")).isEmpty();
        assertThat(KubeCgroup.qosOf("/kubepods/burstable")).contains(BURSTABLE);
        assertThat(KubeCgroup.qosOf("/kubepods/besteffort")).contains(BESTEFFORT);
        assertThat(KubeCgroup.qosOf("/" + FS + "/" + FS_APP)).contains(BURSTABLE);
        assertThat(KubeCgroup.qosOf("/system.slice/kubelet.service")).isEmpty();
        assertThat(KubeCgroup.qosOf(null)).isEmpty();
    }

    @Test
    void crioUnderTheCgroupfsDriver() {
        // google/cadvisor container/crio/factory_test.go (TestCanHandleAndAccept): a Guaranteed pod, cgroupfs
        String pod = "/kubepods/pod068e8fa0-9213-11e7-a01f-507b9d4141fa";
        String id = "81e5c2990803c383229c9680ce964738d5e566d97f5bd436ac34808d2ec75d5f";
        String uid = "068e8fa0-9213-11e7-a01f-507b9d4141fa";
        assertThat(KubeCgroup.parse(pod + "/crio-" + id + ".scope")).contains(new PodRef(uid, id, GUARANTEED, "crio"));
        assertThat(KubeCgroup.parse(pod + "/crio-" + id)).contains(new PodRef(uid, id, GUARANTEED, "crio"));
        // conmon, CRI-O's monitor: inside the pod, but not the container
        assertThat(KubeCgroup.parse(pod + "/crio-conmon-" + id)).contains(new PodRef(uid, null, GUARANTEED, "crio"));
        // a 61-digit id in the same test: no container id
        assertThat(KubeCgroup.parse(pod + "/crio-990803c383229c9680ce964738d5e566d97f5bd436ac34808d2ec75"))
                .contains(new PodRef(uid, null, GUARANTEED, null));
    }

    @Test
    void crioUnderTheSystemdDriverWithCrunsContainerChild() {
        // Layout as in the fixture (systemd driver, Burstable) with CRI-O's scope names; crun runs the
        // workload in a "container" child of the scope, which still belongs to the container.
        String id = B_APP;
        assertThat(KubeCgroup.parse("/" + B + "/crio-" + id + ".scope")).contains(new PodRef(B_UID, id, BURSTABLE, "crio"));
        assertThat(KubeCgroup.parse("/" + B + "/crio-" + id + ".scope/container")).contains(new PodRef(B_UID, id, BURSTABLE, "crio"));
        assertThat(KubeCgroup.parse("/" + B + "/crio-conmon-" + id + ".scope")).contains(new PodRef(B_UID, null, BURSTABLE, "crio"));
    }

    @Test
    void staticPodWithAnMd5UidUnderCgroupfs() {
        // google/cadvisor container/containerd/factory_test.go (TestIsContainerName): static pods get the
        // md5 of their manifest as UID, 32 hex digits without dashes.
        String path = "/kubepods/besteffort/podd76e26fba3bf2bfd215eb29011d55250/40af7cdcbe507acad47a5a62025743ad3ddc6ab93b77b21363aa1c1d641047c9";
        assertThat(KubeCgroup.parse(path)).contains(new PodRef("d76e26fba3bf2bfd215eb29011d55250",
                "40af7cdcbe507acad47a5a62025743ad3ddc6ab93b77b21363aa1c1d641047c9", BESTEFFORT, null));
    }

    @Test
    void dockerScopeInABurstablePodSlice() {
        // haruband/codebook k8s/cgroupv2.privatens/index.md: `bpftool cgroup tree` on an Ubuntu 21.10 node
        // with Docker as runtime and the systemd driver
        String path = "/sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podf8371831_8021_4722_af27_93c925d25a14.slice"
                + "/docker-fbbef81081fd1fdf7653041c79cf8969be138b5bbd57db50de28cba35fd65910.scope";
        assertThat(KubeCgroup.parse(path)).contains(new PodRef("f8371831-8021-4722-af27-93c925d25a14",
                "fbbef81081fd1fdf7653041c79cf8969be138b5bbd57db50de28cba35fd65910", BURSTABLE, "docker"));
    }

    @Test
    void kindNodeWithAKubeletCgroupRootPrefix() {
        // cilium/cilium Documentation/network/kubernetes/kubeproxy-free.rst: a kind worker, whose kubelet runs
        // with --cgroup-root=/kubelet, seen through Cilium's cgroup2 mount; the pod "mediabot" has this UID.
        String path = "/run/cilium/cgroupv2/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice"
                + "/kubelet-kubepods-besteffort-podb620703c_c446_49c7_84c8_e23f4ba5626b.slice"
                + "/cri-containerd-4e7fc71c8bef8c05c9fb76d93a186736fca266e668722e1239fe64503b3e80d3.scope";
        PodRef ref = KubeCgroup.parse(path).orElseThrow();
        assertThat(ref).isEqualTo(new PodRef("b620703c-c446-49c7-84c8-e23f4ba5626b",
                "4e7fc71c8bef8c05c9fb76d93a186736fca266e668722e1239fe64503b3e80d3", BESTEFFORT, "containerd"));
        assertThat(KubeCgroup.qosOf("/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice")).contains(BESTEFFORT);
        assertThat(KubeCgroup.qosOf("/kubelet.slice/kubelet-kubepods.slice")).isEmpty();
    }

    @Test
    void prefixedCgroupfsLayouts() {
        // kubelet's cgroupfs name is "/" + path.Join(cgroup-root, "kubepods", qos, "pod"+uid) (ToCgroupfs in
        // pkg/kubelet/cm/cgroup_manager_linux.go); kind's --cgroup-root=/kubelet and a cgroup v1 node in a
        // Docker container without a cgroup namespace put more in front.
        String tail = "/kubepods/burstable/pod" + FS_UID + "/" + FS_APP;
        PodRef want = new PodRef(FS_UID, FS_APP, BURSTABLE, null);
        assertThat(KubeCgroup.parse("/kubelet" + tail)).contains(want);
        assertThat(KubeCgroup.parse("/docker/" + G_APP + tail)).contains(want);
        assertThat(KubeCgroup.parse("/sys/fs/cgroup/memory" + tail)).contains(want);
        assertThat(KubeCgroup.parse("/kubelet/kubepods/pod" + G_UID)).contains(new PodRef(G_UID, null, GUARANTEED, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "/", "//", "/init.scope", "/system.slice/containerd.service",
        // docker outside Kubernetes (neuvector/neuvector share/system/cgroup_test.go, TestDockerIDCentOS)
        "/system.slice/docker-9ec39b91f3d70e1beff50a308f77067065ea6be0d91a3378375056cd4422cf3d.scope",
        // a pod-like name that is not below a kubepods root
        "/user.slice/pod9d34c388-020b-4327-aa22-8f7472dfa286",
        "/system.slice/kubepods-pod9d34c388_020b_4327_aa22_8f7472dfa286.slice",
        // "pod" followed by something that is not a UID
        "/kubepods/burstable/podcast", "/kubepods/burstable/pod9d34c388", "/kubepods.slice/kubepods-burstable-podx.slice",
        // a QoS word in the wrong place
        "/kubepods/other/pod9d34c388-020b-4327-aa22-8f7472dfa286",
        "/burstable/pod9d34c388-020b-4327-aa22-8f7472dfa286",
    })
    void notAPod(String path) {
        assertThat(KubeCgroup.parse(path)).isEmpty();
    }

    @Test
    void nullIsNotAPod() {
        assertThat(KubeCgroup.parse(null)).isEmpty();
    }

    @Test
    void anUnknownChildOfAPodBelongsToThePodOnly() {
        assertThat(KubeCgroup.parse("/" + B + "/something-else.scope")).contains(new PodRef(B_UID, null, BURSTABLE, null));
    }

    @Test
    void shortNames() {
        assertThat(new PodRef(B_UID, B_APP, BURSTABLE, "containerd").shortName()).isEqualTo("pod df494f48 / ctr 3230f737 (Burstable)");
        assertThat(new PodRef(G_UID, null, GUARANTEED, null).shortName()).isEqualTo("pod 9d34c388 (Guaranteed)");
        assertThat(new PodRef(BE_UID, null, BESTEFFORT, null).shortName()).isEqualTo("pod 8dd66803 (BestEffort)");
    }

    @Test
    void qosLabelsAreKubernetesSpelling() {
        assertThat(GUARANTEED.label()).isEqualTo("Guaranteed");
        assertThat(BURSTABLE.label()).isEqualTo("Burstable");
        assertThat(BESTEFFORT.label()).isEqualTo("BestEffort");
    }
}
