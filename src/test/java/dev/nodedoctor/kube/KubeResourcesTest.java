package dev.nodedoctor.kube;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.nodedoctor.kube.QosClass.BESTEFFORT;
import static dev.nodedoctor.kube.QosClass.BURSTABLE;
import static dev.nodedoctor.kube.QosClass.GUARANTEED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link KubeResources}, {@link CpuWeight} and {@link ResourceSpec}. The expected numbers are kubelet's
 * formulas worked by hand (shown next to each), or values the kernel shows in the cgroup2-debian-6.1 capture.
 */
class KubeResourcesTest {

    @ParameterizedTest(name = "{0}m → {1} shares")
    @CsvSource({
        "50, 51",        // 50 * 1024 / 1000 = 51.2
        "100, 102",      // 102.4
        "200, 204",      // 204.8
        "500, 512",
        "1000, 1024",
        "2000, 2048",
        "1, 2",          // 1.024 → 1, raised to MinShares 2
        "0, 2",          // no request: MinShares
        "256000, 262144",
        "300000, 262144", // capped at MaxShares 2^18
    })
    void milliCpuToShares(long millis, long shares) {
        assertThat(KubeResources.milliCpuToShares(millis)).isEqualTo(shares);
    }

    @ParameterizedTest(name = "{0}m → quota {1}")
    @CsvSource({
        "100, 10000",   // 100 * 100000 / 1000
        "250, 25000",
        "500, 50000",
        "1000, 100000",
        "1500, 150000",
        "5, 1000",      // 500 µs, raised to MinQuotaPeriod 1000
        "10, 1000",
        "0, -1",        // no limit
    })
    void milliCpuToQuota(long millis, long quota) {
        assertThat(KubeResources.milliCpuToQuota(millis, KubeResources.QUOTA_PERIOD)).isEqualTo(quota);
    }

    @Test
    void quotaScalesWithACustomPeriod() {
        // kubelet --cpu-cfs-quota-period=50ms: 100m * 50000 / 1000 = 5000
        assertThat(KubeResources.milliCpuToQuota(100, 50_000)).isEqualTo(5000);
        assertThat(KubeResources.milliCpuToQuota(1, 50_000)).isEqualTo(1000);
    }

    @ParameterizedTest(name = "{0} shares → weight {1}")
    @CsvSource({
        "512, 20",      // 1 + (510 * 9999) / 262142 = 1 + 19.45
        "204, 8",       // 1 + 7.70
        "102, 4",       // 1 + 3.81
        "2048, 79",     // 1 + 78.04
        "51, 2",        // 1 + 1.87
        "1024, 39",     // 1 + 38.98: the v1 default is not the v2 default (runc#4772)
        "2000, 77",     // runc#4896, before: cpu.weight 77 for --cpu-shares 2000
        "2, 1",
        "262144, 10000",
    })
    void linearWeight(long shares, long weight) {
        assertThat(CpuWeight.linear(shares)).isEqualTo(weight);
    }

    @ParameterizedTest(name = "{0} shares → weight {1}")
    @CsvSource({
        "2000, 170",    // runc#4896, after (runc 1.4.0-rc.1): cpu.weight 170 for --cpu-shares 2000
        "1024, 100",    // the point of the new formula: v1 default 1024 → v2 default 100
        "2, 1",
        "262144, 10000",
    })
    void logQuadraticWeight(long shares, long weight) {
        assertThat(CpuWeight.logQuadratic(shares)).isEqualTo(weight);
    }

    @Test
    void theNumbersOfTheBrief() {
        CgroupValues req50m = KubeResources.forContainer(new ResourceSpec(50L, 100L, null, null), null);
        assertThat(req50m.shares()).isEqualTo(51);
        assertThat(req50m.quotaMicros()).isEqualTo(10_000);
        assertThat(req50m.periodMicros()).isEqualTo(100_000);
        assertThat(req50m.cpuMax()).isEqualTo("10000 100000");

        CgroupValues half = KubeResources.forContainer(new ResourceSpec(500L, null, null, null), null);
        assertThat(half.shares()).isEqualTo(512);
        assertThat(half.weight()).isEqualTo(20);
        assertThat(half.quotaMicros()).isEqualTo(-1);
        assertThat(half.cpuMax()).isEqualTo("max 100000");

        assertThat(KubeResources.forContainer(new ResourceSpec(200L, null, null, null), null).weight()).isEqualTo(8);
        assertThat(KubeResources.forContainer(new ResourceSpec(100L, null, null, null), null).weight()).isEqualTo(4);
        assertThat(KubeResources.forContainer(new ResourceSpec(2000L, null, null, null), null).weight()).isEqualTo(79);
        assertThat(KubeResources.forContainer(new ResourceSpec(100L, 250L, null, null), null).quotaMicros()).isEqualTo(25_000);
    }

    // The capture's app containers, with the requests and limits its README gives, against the values the
    // kernel shows in their cgroup files.

    @Test
    void guaranteedContainerOfTheCapture() {
        // cpu 500m/500m, memory 128Mi/128Mi
        CgroupValues v = KubeResources.forContainer(ResourceSpec.parse("500m", "500m", "128Mi", "128Mi"), null);
        String scope = KubeCgroupTest.G + "/cri-containerd-" + KubeCgroupTest.G_APP + ".scope";
        assertThat(v.qos()).isEqualTo(GUARANTEED);
        assertMatchesCapture(v, scope);
        assertThat(v.oomScoreAdj()).isEqualTo(oomScoreAdjOfPid(198));
    }

    @Test
    void burstableContainerOfTheCapture() {
        // cpu request 200m, limit 1; memory request 32Mi, limit 64Mi
        CgroupValues v = KubeResources.forContainer(ResourceSpec.parse("200m", "1", "32Mi", "64Mi"), memTotalBytes());
        String scope = KubeCgroupTest.B + "/cri-containerd-" + KubeCgroupTest.B_APP + ".scope";
        assertThat(v.qos()).isEqualTo(BURSTABLE);
        assertMatchesCapture(v, scope);
        // 1000 - 1000 * 33554432 / 1007087616 = 1000 - 33
        assertThat(v.oomScoreAdj()).isEqualTo(967).isEqualTo(oomScoreAdjOfPid(199)).isEqualTo(oomScoreAdjOfPid(216));
    }

    @Test
    void cgroupfsBurstableContainerOfTheCapture() {
        // cpu 100m/250m, memory 16Mi/32Mi
        CgroupValues v = KubeResources.forContainer(ResourceSpec.parse("100m", "250m", "16Mi", "32Mi"), memTotalBytes());
        assertThat(v.qos()).isEqualTo(BURSTABLE);
        assertMatchesCapture(v, KubeCgroupTest.FS + "/" + KubeCgroupTest.FS_APP);
        // 1000 - 1000 * 16777216 / 1007087616 = 1000 - 16
        assertThat(v.oomScoreAdj()).isEqualTo(984).isEqualTo(oomScoreAdjOfPid(201));
    }

    @Test
    void bestEffortContainerOfTheCapture() {
        CgroupValues v = KubeResources.forContainer(new ResourceSpec(null, null, null, null), null);
        String scope = KubeCgroupTest.BE + "/cri-containerd-" + KubeCgroupTest.BE_APP + ".scope";
        assertThat(v.qos()).isEqualTo(BESTEFFORT);
        assertThat(v.shares()).isEqualTo(2);
        assertMatchesCapture(v, scope);
        assertThat(v.oomScoreAdj()).isEqualTo(1000).isEqualTo(oomScoreAdjOfPid(200));
    }

    @Test
    void nodeAllocatableWeightOfTheCapture() {
        // kubepods.slice gets the node's allocatable CPU as shares: 2 CPUs = 2048 shares
        long weight = CpuWeight.linear(KubeResources.milliCpuToShares(2000));
        assertThat(Long.toString(weight)).isEqualTo(Cgroup2Fixture.cgroupFile("kubepods.slice", "cpu.weight"))
                .isEqualTo(Cgroup2Fixture.cgroupFile("kubepods", "cpu.weight"));
    }

    private static void assertMatchesCapture(CgroupValues v, String cgroup) {
        assertThat(Long.toString(v.weight())).as("cpu.weight").isEqualTo(Cgroup2Fixture.cgroupFile(cgroup, "cpu.weight"));
        assertThat(v.cpuMax()).as("cpu.max").isEqualTo(Cgroup2Fixture.cgroupFile(cgroup, "cpu.max"));
        assertThat(v.memoryMax()).as("memory.max").isEqualTo(Cgroup2Fixture.cgroupFile(cgroup, "memory.max"));
    }

    private static int oomScoreAdjOfPid(int pid) {
        return Integer.parseInt(Cgroup2Fixture.read("proc/" + pid + "/oom_score_adj"));
    }

    /** MemTotal of the capture in bytes: what cAdvisor reports as MemoryCapacity and kubelet divides by. */
    private static long memTotalBytes() {
        String line = Cgroup2Fixture.read("proc/meminfo").lines().filter(l -> l.startsWith("MemTotal:")).findFirst().orElseThrow();
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
    }

    @Test
    void burstableOomScoreAdjIsKeptBetween3And999() {
        long g = 1_000_000_000L; // a node of 1G (10^9 bytes), so that the percentages below are exact
        // requests the whole node: 1000 - 1000 = 0, raised to 1000 + (-997) = 3
        assertThat(KubeResources.oomScoreAdj(BURSTABLE, g, g)).isEqualTo(3);
        // 99.8 %: 1000 - 998 = 2, raised to 3
        assertThat(KubeResources.oomScoreAdj(BURSTABLE, 998_000_000L, g)).isEqualTo(3);
        // 99.6 %: 4, kept
        assertThat(KubeResources.oomScoreAdj(BURSTABLE, 996_000_000L, g)).isEqualTo(4);
        // 10 % → 900, the example in kubelet's comment
        assertThat(KubeResources.oomScoreAdj(BURSTABLE, 100_000_000L, g)).isEqualTo(900);
        // the division truncates: 1000 * 1999999 / 10^9 = 1.99 → 1, so 999
        assertThat(KubeResources.oomScoreAdj(BURSTABLE, 1_999_999L, g)).isEqualTo(999);
        // 1 byte: 1000 - 0 = 1000, lowered to 999 so that BestEffort goes first
        assertThat(KubeResources.oomScoreAdj(BURSTABLE, 1, g)).isEqualTo(999);
        // no memory request at all: 999 whatever the node's memory
        assertThat(KubeResources.oomScoreAdj(BURSTABLE, 0, null)).isEqualTo(999);
        // depends on the node, which was not given
        assertThat(KubeResources.oomScoreAdj(BURSTABLE, g, null)).isNull();
        assertThat(KubeResources.oomScoreAdj(GUARANTEED, g, null)).isEqualTo(-997);
        assertThat(KubeResources.oomScoreAdj(BESTEFFORT, 0, null)).isEqualTo(1000);
    }

    @Test
    void qosClasses() {
        assertThat(new ResourceSpec(null, null, null, null).qos()).isEqualTo(BESTEFFORT);
        assertThat(new ResourceSpec(500L, 500L, 1L << 27, 1L << 27).qos()).isEqualTo(GUARANTEED);
        // limits only: the API server defaults the requests to the limits, so Guaranteed
        assertThat(new ResourceSpec(null, 1000L, null, 1L << 30).qos()).isEqualTo(GUARANTEED);
        // CPU alone, or memory alone, is Burstable
        assertThat(new ResourceSpec(500L, 500L, null, null).qos()).isEqualTo(BURSTABLE);
        assertThat(new ResourceSpec(null, null, 1L << 27, 1L << 27).qos()).isEqualTo(BURSTABLE);
        assertThat(new ResourceSpec(100L, null, null, null).qos()).isEqualTo(BURSTABLE);
        // an explicit 0 request is not defaulted: it differs from the limit
        assertThat(new ResourceSpec(0L, 1000L, null, 1L << 30).qos()).isEqualTo(BURSTABLE);
        // explicit zeros everywhere are no resources at all
        assertThat(new ResourceSpec(0L, 0L, 0L, 0L).qos()).isEqualTo(BESTEFFORT);
    }

    @Test
    void anAbsentCpuRequestTakesTheLimitButAZeroRequestDoesNot() {
        // kuberuntime calculateLinuxResources: request nil and limit set → shares from the limit
        assertThat(KubeResources.forContainer(new ResourceSpec(null, 1000L, null, null), null).shares()).isEqualTo(1024);
        // an explicit request of 0 → MilliCPUToShares(0) = MinShares
        assertThat(KubeResources.forContainer(new ResourceSpec(0L, 1000L, null, null), null).shares()).isEqualTo(2);
    }

    @Test
    void limitsOfZeroMeanNoLimit() {
        CgroupValues v = KubeResources.forContainer(new ResourceSpec(0L, 0L, 0L, 0L), null);
        assertThat(v.quotaMicros()).isEqualTo(-1);
        assertThat(v.memoryLimitBytes()).isEqualTo(-1);
        assertThat(v.memoryMax()).isEqualTo("max");
    }

    @Test
    void theNewRuntimeWeightIsShownBesideKubeletsOwn() {
        CgroupValues v = KubeResources.forContainer(new ResourceSpec(2000L, null, null, null), null);
        assertThat(v.weight()).isEqualTo(79);
        // 2048 shares: l = 11, (121 + 1375) / 612 - 7/34 = 2.2386, 10^2.2386 = 173.2 → 174
        assertThat(v.weightNewRuntimes()).isEqualTo(174);
    }

    @Test
    void invalidSpecs() {
        assertThatThrownBy(() -> new ResourceSpec(2000L, 1000L, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CPU request 2000m is above its limit 1000m");
        assertThatThrownBy(() -> new ResourceSpec(null, null, 2L, 1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("memory request 2 bytes is above its limit 1 bytes");
        assertThatThrownBy(() -> new ResourceSpec(-1L, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> ResourceSpec.parse("-100m", null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'-100m' is negative");
        assertThatThrownBy(() -> KubeResources.oomScoreAdj(BURSTABLE, 1, 0L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node memory");
        assertThatThrownBy(() -> KubeResources.forContainer(new ResourceSpec(null, null, null, null), null, 999))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CFS period");
    }
}
