package dev.nodedoctor.cgroup;

import dev.nodedoctor.sys.KernelFileException;
import dev.nodedoctor.sys.KernelFiles;
import dev.nodedoctor.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Layout discovery and CPU readers on a pure v2 node and a hybrid v1 node, both real captures. */
class CgroupReaderTest {
    static final String G = "/kubepods.slice/kubepods-pod9d34c388_020b_4327_aa22_8f7472dfa286.slice";
    static final String GA = G + "/cri-containerd-82d09898ea003cbf23a5fd036c36c9d616ac203ed0ca1504788be5ab14e37e3a.scope";
    static final String BE = "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod8dd66803_bdd2_4157_a910_b4bf33ad7bf7.slice";
    static final String V1_POD = "/kubepods/burstable/pod5b1f2c7e-3d4a-4e8b-9c1d-2a7f6e0b9c41";
    static final String V1_CTR = V1_POD + "/7f3c9a1e5b2d4c6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5";

    private static KernelFiles open(Path root) {
        return KernelFiles.at(root, Duration.ofSeconds(2));
    }

    @Test
    void pureV2NodeIsV2WithCpuOnTheUnifiedMount() {
        try (KernelFiles files = open(Fixtures.v2Root())) {
            CgroupLayout l = CgroupLayout.discover(files);
            assertThat(l.mode()).isEqualTo(CgroupLayout.Mode.V2);
            assertThat(l.unifiedMount()).isEqualTo("/sys/fs/cgroup");
            assertThat(l.unifiedControllers()).contains("cpu", "memory", "pids", "io");
            assertThat(l.onV2("cpu")).isTrue();
            assertThat(l.v1Mounts()).isEmpty();
        }
    }

    @Test
    void hybridNodeReadsCpuFromV1() {
        try (KernelFiles files = open(Fixtures.v1Root())) {
            CgroupLayout l = CgroupLayout.discover(files);
            assertThat(l.mode()).isEqualTo(CgroupLayout.Mode.HYBRID);
            assertThat(l.unifiedMount()).isEqualTo("/sys/fs/cgroup/unified");
            assertThat(l.onV2("cpu")).isFalse();
            assertThat(l.mountOf("cpu")).isEqualTo("/sys/fs/cgroup/cpu");
            assertThat(l.mountOf("cpuacct")).isEqualTo("/sys/fs/cgroup/cpuacct");
        }
    }

    @Test
    void v2WalkFindsEveryCgroupDirectory() throws Exception {
        try (KernelFiles files = open(Fixtures.v2Root())) {
            CgroupReader r = new CgroupReader(files, CgroupLayout.discover(files));
            List<String> all = r.walk();
            // the README: "the whole cgroup2 tree (24 cgroups ...)" — 23 descendants plus the root
            assertThat(all).hasSize(24).startsWith("/").contains(G, GA, BE);
            assertThat(all.indexOf(G)).isLessThan(all.indexOf(GA));
        }
    }

    @Test
    void v2GuaranteedContainerIsThrottledAsTheReadmeSays() {
        try (KernelFiles files = open(Fixtures.v2Root())) {
            CgroupReader r = new CgroupReader(files, CgroupLayout.discover(files));
            List<KernelFileException> errors = new ArrayList<>();
            CgroupStats s = r.read(GA, errors::add);
            assertThat(errors).isEmpty();
            CgroupCpu c = s.cpu();
            // README: usage_usec 8266261, nr_periods 167, nr_throttled 151, throttled_usec 6131381,
            // cpu.weight 20, cpu.max "50000 100000"
            assertThat(c.usageNanos()).isEqualTo(8_266_261_000L);
            assertThat(c.periods()).isEqualTo(167);
            assertThat(c.throttledPeriods()).isEqualTo(151);
            assertThat(c.throttledNanos()).isEqualTo(6_131_381_000L);
            assertThat(c.quotaMicros()).isEqualTo(50_000);
            assertThat(c.periodMicros()).isEqualTo(100_000);
            assertThat(c.limitCores()).isEqualTo(0.5);
            assertThat(c.weight()).isEqualTo(20);
            assertThat(c.shares()).isEqualTo(-1);
            assertThat(s.cpuPressure().some().avg10()).isEqualTo(28.18);
            assertThat(s.pids().current()).isPositive();
        }
    }

    @Test
    void v2BestEffortHasNoQuotaAndTheRootHasNoLimitFiles() {
        try (KernelFiles files = open(Fixtures.v2Root())) {
            CgroupReader r = new CgroupReader(files, CgroupLayout.discover(files));
            List<KernelFileException> errors = new ArrayList<>();
            CgroupStats be = r.read(BE, errors::add);
            assertThat(be.cpu().hasQuota()).isFalse();
            assertThat(be.cpu().limitCores()).isEqualTo(-1);
            assertThat(be.cpu().weight()).isEqualTo(1);
            CgroupStats root = r.read("/", errors::add);
            assertThat(root.cpu().usageNanos()).isPositive();
            assertThat(root.cpu().quotaMicros()).isEqualTo(-1);
            assertThat(errors).isEmpty();
        }
    }

    @Test
    void v1ContainerReadsQuotaSharesAndCpuacct() {
        Path root = Fixtures.v1Root();
        try (KernelFiles files = open(root)) {
            CgroupReader r = new CgroupReader(files, CgroupLayout.discover(files));
            assertThat(assertWalk(r)).contains(V1_POD, V1_CTR);
            List<KernelFileException> errors = new ArrayList<>();
            CgroupStats s = r.read(V1_CTR, errors::add);
            assertThat(errors).isEmpty();
            String stat = Fixtures.read(root, "/sys/fs/cgroup/cpu" + V1_CTR + "/cpu.stat");
            assertThat(s.cpu().periods()).isEqualTo(field(stat, "nr_periods"));
            assertThat(s.cpu().throttledPeriods()).isEqualTo(field(stat, "nr_throttled"));
            assertThat(s.cpu().throttledNanos()).isEqualTo(field(stat, "throttled_time"));
            // kubelet's values for limit 200m / request 100m, written when the fixture was made
            assertThat(s.cpu().quotaMicros()).isEqualTo(20_000);
            assertThat(s.cpu().periodMicros()).isEqualTo(100_000);
            assertThat(s.cpu().shares()).isEqualTo(102);
            assertThat(s.cpu().burstMicros()).isZero();
            assertThat(s.cpu().usageNanos()).isEqualTo(Long.parseLong(
                    Fixtures.read(root, "/sys/fs/cgroup/cpuacct" + V1_CTR + "/cpuacct.usage").trim()));
            assertThat(s.pids().current()).isEqualTo(Long.parseLong(
                    Fixtures.read(root, "/sys/fs/cgroup/pids" + V1_CTR + "/pids.current").trim()));
        }
    }

    @Test
    void aCgroupThatVanishedReadsAsNullNotAnError() {
        try (KernelFiles files = open(Fixtures.v2Root())) {
            CgroupReader r = new CgroupReader(files, CgroupLayout.discover(files));
            List<KernelFileException> errors = new ArrayList<>();
            assertThat(r.read("/kubepods.slice/gone.scope", errors::add)).isNull();
            assertThat(errors).isEmpty();
        }
    }

    private static List<String> assertWalk(CgroupReader r) {
        try {
            return r.walk();
        } catch (KernelFileException e) {
            throw new AssertionError(e);
        }
    }

    private static long field(String text, String key) {
        return text.lines().filter(l -> l.startsWith(key + " ")).mapToLong(l -> Long.parseLong(l.split(" ")[1]))
                .findFirst().orElseThrow();
    }
}
