package dev.nodedoctor.scenario;

import dev.nodedoctor.cgroup.CgroupLayout;
import dev.nodedoctor.diagnose.Finding;
import dev.nodedoctor.diagnose.Investigation;
import dev.nodedoctor.diagnose.Thresholds;
import dev.nodedoctor.sample.CgroupFileReaders;
import dev.nodedoctor.sys.KernelFiles;
import dev.nodedoctor.testkit.StatFileReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * "Find the periodic reader": a real child process reads the root memory.stat in a loop (a busy cAdvisor);
 * nodedoctor must name it from its open descriptors, read-only, and leave an idle process alone.
 */
class CgroupReadersLiveTest {
    private static final String STAT = "/sys/fs/cgroup/memory/memory.stat";

    private static void assumeReadable() {
        assumeTrue(Files.isReadable(Path.of(STAT)), "needs the v1 memory controller at /sys/fs/cgroup/memory");
        assumeTrue(Files.isReadable(Path.of("/proc/1/fd")), "needs root to look at other processes' descriptors");
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    @Test
    void samplingNamesTheReaderAndItsFileButNotAnIdleProcess() throws Exception {
        assumeReadable();
        Process reader = StatFileReader.start(STAT);
        Process idle = new ProcessBuilder("sleep", "30").start();
        try (KernelFiles files = KernelFiles.live()) {
            CgroupFileReaders.Report r = CgroupFileReaders.sample(files,
                    CgroupFileReaders.mountPrefixes(CgroupLayout.discover(files)),
                    Map.of((int) reader.pid(), "java", (int) idle.pid(), "sleep"), Duration.ofMillis(1500),
                    Duration.ofMillis(20));
            // 75 rounds at most; fewer when rounds are slow (a loaded machine): sampling then spaces itself out
            assertThat(r.samples()).isBetween(5, 76);
            assertThat(r.readers()).singleElement().satisfies(x -> {
                assertThat(x.pid()).isEqualTo((int) reader.pid());
                assertThat(x.files()).containsOnlyKeys("memory.stat");
                assertThat(x.example()).isEqualTo(STAT);
                // open, read, close in a loop: the descriptor is open most of the time (well above the rule's 20 %)
                assertThat(x.share()).isGreaterThan(0.3);
            });
        } finally {
            stop(reader);
            stop(idle);
        }
    }

    @Test
    void diagnoseReportsTheReaderAsCgroupStatsReader() throws Exception {
        assumeReadable();
        Process reader = StatFileReader.start(STAT);
        try (KernelFiles files = KernelFiles.live()) {
            Investigation.Result result = Investigation.run(files, Duration.ofSeconds(2), Thresholds.defaults());
            CgroupFileReaders.Report report = result.observations().cgroupReaders().get().orElseThrow();
            assertThat(report.candidates()).as("a busy reader is picked by its recent system time")
                    .containsKey((int) reader.pid());
            assertThat(result.diagnosis().findings()).filteredOn(f -> f.id().equals("cgroup.stats-reader"))
                    .anySatisfy(f -> {
                        assertThat(f.subject()).isEqualTo("pid " + reader.pid() + " (java)");
                        assertThat(f.title()).contains("memory.stat");
                        assertThat(f.evidence().get(0).number()).isGreaterThan(20);
                        assertThat(f.fix()).contains("--pid " + reader.pid() + " --trace");
                    });
        } finally {
            stop(reader);
        }
    }
}
