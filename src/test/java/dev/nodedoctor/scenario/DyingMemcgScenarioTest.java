package dev.nodedoctor.scenario;

import dev.nodedoctor.diagnose.Evidence;
import dev.nodedoctor.diagnose.Finding;
import dev.nodedoctor.diagnose.Investigation;
import dev.nodedoctor.diagnose.RuleCatalogue;
import dev.nodedoctor.diagnose.Thresholds;
import dev.nodedoctor.sys.DropCaches;
import dev.nodedoctor.sys.KernelFiles;
import dev.nodedoctor.testkit.ScratchCgroups;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live, as root: a few hundred short-lived v1 memory cgroups, each of which writes a small file (its page cache
 * is charged to it) and is then removed. The files stay, so the kernel must keep the removed cgroups as dying
 * ones: `diagnose` must count about as many as were made. Caches are dropped at the end only.
 */
class DyingMemcgScenarioTest {
    static final int CGROUPS = 300;

    @TempDir
    Path tmp;

    private static long dyingNow() throws Exception {
        long all = Files.readAllLines(Path.of("/proc/cgroups")).stream().filter(l -> l.startsWith("memory\t"))
                .mapToLong(l -> Long.parseLong(l.split("\t")[2])).findFirst().orElseThrow();
        try (var dirs = Files.walk(Path.of("/sys/fs/cgroup/memory"))) {
            return all - dirs.filter(Files::isDirectory).count();
        }
    }

    @Test
    void removedCgroupsWithCachedFilesStayDyingAndAreCounted() throws Exception {
        try (ScratchCgroups cg = ScratchCgroups.requireV1("memory")) {
            String parent = cg.create("", "memory");
            long before = dyingNow();
            StringBuilder script = new StringBuilder();
            for (int i = 0; i < CGROUPS; i++) {
                String dir = "/sys/fs/cgroup/memory" + parent + "/job" + i;
                // like a short-lived pod: make the cgroup, write a log file from inside it, exit, remove the cgroup
                script.append("mkdir ").append(dir).append(" && sh -c 'echo $$ > ").append(dir)
                        .append("/cgroup.procs; exec dd if=/dev/urandom of=").append(tmp.resolve("log" + i))
                        .append(" bs=4k count=16 status=none' && rmdir ").append(dir).append('\n');
            }
            Process p = new ProcessBuilder("sh", "-e", "-c", script.toString()).redirectErrorStream(true).start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
            long made = dyingNow() - before;
            assertThat(made).as("the kernel keeps them dying while their page cache lives").isGreaterThan(CGROUPS * 8 / 10);

            Path cfg = tmp.resolve("t.properties");
            Files.writeString(cfg, "memcg.dying.count = " + (CGROUPS / 2) + "\n");
            Investigation.Result r;
            try (KernelFiles files = KernelFiles.live()) {
                r = Investigation.run(files, Duration.ofMillis(500), Thresholds.load(cfg, RuleCatalogue.thresholds()));
            }
            List<Finding> dying = r.diagnosis().findings().stream().filter(f -> f.id().equals("memcg.dying")).toList();
            assertThat(dying).singleElement().satisfies(f -> {
                Evidence count = f.evidence().get(0);
                assertThat(count.name()).isEqualTo("dying memory cgroups");
                // everything dying on the machine, ours included; others may come and go meanwhile
                assertThat(count.number()).isBetween((double) before + made - 20, (double) before + made + 20);
                assertThat(f.fix()).contains("drop_caches");
            });
            assertThat(r.observations().memory().get().orElseThrow().statReads()).isNotEmpty();
        } finally {
            // the end of the test only: free the page cache that pins them
            try (var files = Files.list(tmp)) {
                files.forEach(f -> f.toFile().delete());
            }
            new ProcessBuilder("sync").start().waitFor();
            if (dev.nodedoctor.testkit.Fixtures.isRoot()) {
                DropCaches.drop(1, Duration.ofMinutes(1));
            }
        }
    }
}
