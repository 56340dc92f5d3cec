package dev.nodedoctor.scenario;

import dev.nodedoctor.diagnose.Finding;
import dev.nodedoctor.diagnose.Investigation;
import dev.nodedoctor.diagnose.RuleCatalogue;
import dev.nodedoctor.diagnose.Thresholds;
import dev.nodedoctor.sys.KernelFiles;
import dev.nodedoctor.sys.ReadTiming;
import dev.nodedoctor.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The slow-kernel rules on this machine's real numbers: with their default thresholds a healthy node stays
 * silent; with thresholds below what the machine really does, they fire and report those real numbers.
 */
class KernelSlowRulesLiveTest {

    @TempDir
    Path tmp;

    private Investigation.Result diagnose(String config, Duration window) throws Exception {
        Thresholds t = Thresholds.defaults();
        if (config != null) {
            Path cfg = tmp.resolve("t" + System.nanoTime() + ".properties");
            Files.writeString(cfg, config);
            t = Thresholds.load(cfg, RuleCatalogue.thresholds());
        }
        try (KernelFiles files = KernelFiles.live()) {
            return Investigation.run(files, window, t);
        }
    }

    @Test
    void memoryStatReadTimesAreMeasuredAndJudged() throws Exception {
        Investigation.Result quiet = diagnose(null, Duration.ofMillis(300));
        List<ReadTiming> reads = quiet.observations().memory().get().orElseThrow().statReads();
        assertThat(reads).isNotEmpty().allSatisfy(r -> assertThat(r.path()).endsWith("/memory.stat"));
        double slowestMs = reads.stream().mapToLong(r -> r.elapsed().toNanos()).max().orElseThrow() / 1e6;
        if (slowestMs < 100) {
            // a healthy node: under the default 100 ms, nothing to say
            assertThat(quiet.diagnosis().findings()).extracting(Finding::id).doesNotContain("cgroup.stat-read-slow");
        }
        Investigation.Result strict = diagnose("cgroup.stat-read-slow.ms = 0.000001\n", Duration.ofMillis(300));
        assertThat(strict.diagnosis().findings()).filteredOn(f -> f.id().equals("cgroup.stat-read-slow")).singleElement()
                .satisfies(f -> {
                    assertThat(f.evidence().get(0).source()).endsWith("/memory.stat");
                    assertThat(f.evidence().get(0).number()).isPositive();
                    assertThat(f.evidence().get(1).unit()).isEqualTo("ms");
                });
    }

    @Test
    void blockSoftirqsOnOneCpuAreAStormAtALowBar() throws Exception {
        assumeTrue(Fixtures.isRoot(), "O_DIRECT reads of the root disk need root");
        String disk = Files.readAllLines(Path.of("/proc/mounts")).stream().map(l -> l.split(" "))
                .filter(f -> f[1].equals("/") && f[0].startsWith("/dev/")).map(f -> f[0]).findFirst().orElse(null);
        assumeTrue(disk != null, "needs / on a block device");
        // direct reads complete through BLOCK softirqs on the CPU that takes the disk's interrupt
        Process dd = new ProcessBuilder("sh", "-c", "for i in 1 2 3 4 5 6; do dd if=" + disk
                + " of=/dev/null bs=4k count=20000 iflag=direct status=none; done").start();
        try {
            Thread.sleep(200);
            Investigation.Result r = diagnose("cpu.softirq-storm.per-second = 50\ncpu.softirq-storm.one-cpu-share = 0.6\n",
                    Duration.ofSeconds(1));
            List<Finding> storms = r.diagnosis().findings().stream().filter(f -> f.id().equals("cpu.softirq-storm")).toList();
            assertThat(storms).isNotEmpty();
            assertThat(storms).allSatisfy(f -> {
                assertThat(f.evidence().get(0).source()).isEqualTo("/proc/softirqs");
                assertThat(f.evidence().get(2).number()).isGreaterThanOrEqualTo(60.0); // share on the busiest CPU, %
            });
            // with the defaults (20,000/s) a few thousand disk completions are no storm
            assertThat(diagnose(null, Duration.ofMillis(500)).diagnosis().findings()).extracting(Finding::id)
                    .doesNotContain("cpu.softirq-storm");
        } finally {
            dd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
