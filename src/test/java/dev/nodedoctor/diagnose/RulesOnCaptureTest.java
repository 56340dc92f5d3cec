package dev.nodedoctor.diagnose;

import dev.nodedoctor.capture.CapturedWindow;
import dev.nodedoctor.sys.KernelFiles;
import dev.nodedoctor.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The rules on real captures. The hybrid capture holds two moments 2.1 s apart of a node where a
 * Burstable container (two busy loops, limit 200m) was throttled; every number asserted here is computed
 * from the raw before/after files by this test, not taken from nodedoctor's output.
 */
class RulesOnCaptureTest {
    static final String POD = "/kubepods/burstable/pod5b1f2c7e-3d4a-4e8b-9c1d-2a7f6e0b9c41";
    static final String CTR = POD + "/7f3c9a1e5b2d4c6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5";

    private static Investigation.Result diagnose(Path root, Thresholds t) throws Exception {
        try (KernelFiles files = KernelFiles.at(root, Duration.ofSeconds(2))) {
            return Investigation.run(files, Duration.ZERO, t);
        }
    }

    private static long field(Path root, String file, String key) {
        return Fixtures.read(root, file).lines().filter(l -> l.startsWith(key + " "))
                .mapToLong(l -> Long.parseLong(l.split(" ")[1])).findFirst().orElseThrow();
    }

    @Test
    void throttledContainerIsFoundWithTheRatioOfItsCpuStat() throws Exception {
        Path root = Fixtures.v1Root();
        Path before = root.resolve(CapturedWindow.BEFORE);
        String stat = "/sys/fs/cgroup/cpu" + CTR + "/cpu.stat";
        long periods = field(root, stat, "nr_periods") - field(before, stat, "nr_periods");
        long throttled = field(root, stat, "nr_throttled") - field(before, stat, "nr_throttled");
        assertThat(periods).as("the capture must hold a throttled window").isGreaterThan(10);

        Investigation.Result r = diagnose(root, Thresholds.defaults());
        List<Finding> hits = r.diagnosis().findings().stream().filter(f -> f.id().equals("cpu.throttled")).toList();
        // the pod has the same quota as its container: told once, at the container
        assertThat(hits).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo("cgroup " + CTR);
            assertThat(f.severity()).isEqualTo(throttled >= 0.75 * periods ? Severity.CRITICAL : Severity.WARNING);
            Evidence ev = f.evidence().stream().filter(e -> e.name().equals("throttled periods")).findFirst().orElseThrow();
            assertThat(ev.number()).isEqualTo((double) throttled);
            assertThat(ev.unit()).isEqualTo("of " + periods);
            assertThat(ev.source()).isEqualTo(stat);
            Evidence share = f.evidence().stream().filter(e -> e.name().equals("throttled share")).findFirst().orElseThrow();
            assertThat(share.number()).isCloseTo(100.0 * throttled / periods, within(1e-9));
            Evidence limit = f.evidence().stream().filter(e -> e.name().equals("CPU limit")).findFirst().orElseThrow();
            assertThat(limit.number()).isEqualTo(0.2);
        });
    }

    @Test
    void containerFullOfDirtyPageCacheIsFound() throws Exception {
        Path root = Fixtures.v1Root();
        String dir = "/sys/fs/cgroup/memory" + CTR;
        long usage = Long.parseLong(Fixtures.read(root, dir + "/memory.usage_in_bytes").trim());
        long cache = field(root, dir + "/memory.stat", "total_cache");
        long dirty = field(root, dir + "/memory.stat", "total_dirty") + field(root, dir + "/memory.stat", "total_writeback");
        Investigation.Result r = diagnose(root, Thresholds.defaults());
        assertThat(r.diagnosis().findings()).filteredOn(f -> f.id().equals("memory.pagecache-pressure")).singleElement()
                .satisfies(f -> {
                    // the pod has the same 64 MiB limit: told once, at the container
                    assertThat(f.subject()).isEqualTo("cgroup " + CTR);
                    assertThat(f.severity()).isEqualTo(dirty >= (64L << 20) / 10 ? Severity.CRITICAL : Severity.WARNING);
                    assertThat(f.evidence()).anySatisfy(e -> {
                        assertThat(e.name()).isEqualTo("usage");
                        assertThat(e.number()).isEqualTo(usage / 1048576.0);
                        assertThat(e.source()).isEqualTo(dir + "/memory.usage_in_bytes");
                    });
                    assertThat(f.evidence()).anySatisfy(e -> {
                        assertThat(e.name()).isEqualTo("file (page cache)");
                        assertThat(e.number()).isEqualTo(cache / 1048576.0);
                    });
                    assertThat(f.evidence()).anySatisfy(e -> assertThat(e.value()).isEqualTo("Burstable"));
                });
        // no OOM happened in that capture, and tmpfs played no part
        assertThat(r.diagnosis().findings()).extracting(Finding::id).doesNotContain("oom.recent", "memory.shmem");
    }

    @Test
    void theV2NodeShowsItsOomKillAtTheVictimsContainer() throws Exception {
        String ba = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-poddf494f48_9b0d_4b0a_a38e_e8ecbcc51690.slice"
                + "/cri-containerd-3230f737b03de3d001a61e82d2dcd0845794301a4779370e04fadee8a0e9e5e4.scope";
        Investigation.Result r = diagnose(Fixtures.v2Root(), Thresholds.defaults());
        assertThat(r.diagnosis().findings()).filteredOn(f -> f.id().equals("oom.recent")).singleElement()
                .satisfies(f -> {
                    assertThat(f.subject()).isEqualTo("cgroup " + ba);
                    assertThat(f.severity()).isEqualTo(Severity.WARNING); // one moment: not "during this run"
                    assertThat(f.evidence()).anySatisfy(e -> assertThat(e.source())
                            .isEqualTo("/sys/fs/cgroup" + ba + "/memory.events"));
                });
        // shmem is 12 of 64 MiB now (under a quarter) and the working set 30 %: nothing else to say
        assertThat(r.diagnosis().findings()).extracting(Finding::id)
                .doesNotContain("memory.shmem", "memory.near-limit", "memory.pagecache-pressure");
    }

    @Test
    void quietStatesStaySilent() throws Exception {
        Investigation.Result r = diagnose(Fixtures.v1Root(), Thresholds.defaults());
        // the build machine had no steal, iowait or softirq load during the capture
        assertThat(r.diagnosis().findings()).extracting(Finding::id)
                .doesNotContain("cpu.steal", "cpu.iowait", "cpu.softirq", "kernel.read-timeout", "memcg.dying",
                        "cgroup.stat-read-slow", "cpu.softirq-storm");
        assertThat(r.delta().seconds()).isEqualTo(CapturedWindow.of(Fixtures.v1Root()).orElseThrow().seconds(), within(1e-6));
    }

    @Test
    void aThresholdFileCanSilenceARule(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("t.properties");
        Files.writeString(cfg, "cpu.throttled.ratio = 1.01\n");
        Thresholds t = Thresholds.load(cfg, RuleCatalogue.thresholds());
        assertThat(diagnose(Fixtures.v1Root(), t).diagnosis().findings()).extracting(Finding::id)
                .doesNotContain("cpu.throttled");
    }

    @Test
    void unknownThresholdKeysAreRejected(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("t.properties");
        Files.writeString(cfg, "cpu.throttled.ratoi = 0.5\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Thresholds.load(cfg, RuleCatalogue.thresholds()))
                .hasMessageContaining("unknown threshold 'cpu.throttled.ratoi'")
                .hasMessageContaining("cpu.throttled.ratio");
    }

    @Test
    void aTreeWithOneMomentSaysItHasNoRates() throws Exception {
        Investigation.Result r = diagnose(Fixtures.v2Root(), Thresholds.defaults());
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("holds one moment"));
        assertThat(r.diagnosis().findings()).extracting(Finding::id).doesNotContain("cpu.throttled", "cpu.hot-process");
    }
}
