package dev.nodedoctor.scenario;

import dev.nodedoctor.diagnose.Evidence;
import dev.nodedoctor.diagnose.Finding;
import dev.nodedoctor.diagnose.Investigation;
import dev.nodedoctor.diagnose.Thresholds;
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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Live, as root, in a throw-away v1 memory cgroup limited to 64 MiB: the "OOMKilled with a small RSS" cases.
 * The child's own memory is tiny; what fills the limit is tmpfs (shmem) in one case and dirty page cache in
 * the other. Values asserted are read by the test from the cgroup's own files.
 */
class MemoryScenarioTest {
    static final long LIMIT = 64L << 20;

    @TempDir
    Path tmp;

    private static long stat(ScratchCgroups cg, String path, String key) throws Exception {
        return cg.read("memory", path, "memory.stat").lines().filter(l -> l.startsWith(key + " "))
                .mapToLong(l -> Long.parseLong(l.split(" ")[1])).findFirst().orElseThrow();
    }

    private static Evidence evidence(Finding f, String name) {
        return f.evidence().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    private static Investigation.Result diagnose() throws Exception {
        try (KernelFiles files = KernelFiles.live()) {
            return Investigation.run(files, Duration.ofMillis(300), Thresholds.defaults());
        }
    }

    private static Process run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p;
    }

    @Test
    void tmpfsWriterIsOomKilledAndTheLimitIsFullOfShmem() throws Exception {
        try (ScratchCgroups cg = ScratchCgroups.requireV1("memory")) {
            assumeTrue(Files.readString(Path.of("/proc/meminfo")).matches("(?s).*SwapTotal:\\s+0 kB.*"),
                    "with swap, tmpfs pages can be swapped out instead of OOM-killing");
            Path mnt = Files.createDirectory(tmp.resolve("tmpfs"));
            assertThat(run("mount", "-t", "tmpfs", "-o", "size=256m", "nodedoctor-test", mnt.toString()).exitValue()).isZero();
            try {
                String path = cg.create("", "memory");
                cg.write("memory", path, "memory.limit_in_bytes", String.valueOf(LIMIT));
                Process dd = cg.start(path, "dd if=/dev/zero of=" + mnt.resolve("fill") + " bs=1M count=200", "memory");
                assertThat(dd.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(dd.exitValue()).as("dd is killed by SIGKILL").isEqualTo(128 + 9);
                String oomControl = cg.read("memory", path, "memory.oom_control");
                long kills = oomControl.lines().filter(l -> l.startsWith("oom_kill ")).mapToLong(l -> Long.parseLong(l.split(" ")[1])).sum();
                assertThat(kills).isGreaterThanOrEqualTo(1);
                long shmem = stat(cg, path, "shmem");
                long rss = stat(cg, path, "rss");

                List<Finding> findings = diagnose().diagnosis().findings();
                assertThat(findings).anySatisfy(f -> {
                    assertThat(f.id()).isEqualTo("oom.recent");
                    assertThat(f.subject()).isEqualTo("cgroup " + path);
                    assertThat(evidence(f, "OOM kills in this cgroup").number()).isEqualTo((double) kills);
                    assertThat(f.why()).contains("most of it tmpfs / shared memory");
                });
                assertThat(findings).anySatisfy(f -> {
                    assertThat(f.id()).isEqualTo("memory.shmem");
                    assertThat(f.subject()).isEqualTo("cgroup " + path);
                    // the limit is full of shmem, the process memory is tiny
                    assertThat(evidence(f, "  shmem (tmpfs, /dev/shm)").number()).isCloseTo(shmem / 1048576.0,
                            org.assertj.core.api.Assertions.within(1.0));
                    assertThat(shmem).isGreaterThan(LIMIT * 3 / 4);
                    assertThat(rss).isLessThan(8L << 20);
                });
            } finally {
                Files.deleteIfExists(mnt.resolve("fill"));
                run("umount", mnt.toString());
            }
        }
    }

    @Test
    void fastBufferedWriterFillsTheLimitWithDirtyPageCache() throws Exception {
        try (ScratchCgroups cg = ScratchCgroups.requireV1("memory")) {
            String path = cg.create("", "memory");
            cg.write("memory", path, "memory.limit_in_bytes", String.valueOf(LIMIT));
            Path out = tmp.resolve("fill");
            // 400 MiB of buffered writes into a 64 MiB cgroup: the writer outruns writeback. On cgroup v1 the
            // kernel has no per-cgroup dirty throttling; it waits for writeback in reclaim, or OOM-kills.
            Process dd = cg.start(path, "dd if=/dev/zero of=" + out + " bs=1M count=400 status=none", "memory");
            assertThat(dd.waitFor(120, TimeUnit.SECONDS)).isTrue();
            try {
                long usage = Long.parseLong(cg.read("memory", path, "memory.usage_in_bytes").trim());
                long cache = stat(cg, path, "cache");
                assertThat(usage).as("the cgroup stays at its limit").isGreaterThan(LIMIT * 9 / 10);
                assertThat(cache).isGreaterThan(usage / 2);

                List<Finding> findings = diagnose().diagnosis().findings();
                assertThat(findings).anySatisfy(f -> {
                    assertThat(f.id()).isEqualTo("memory.pagecache-pressure");
                    assertThat(f.subject()).isEqualTo("cgroup " + path);
                    assertThat(evidence(f, "file (page cache)").number()).isGreaterThan(LIMIT * 0.45 / 1048576);
                    assertThat(evidence(f, "anon (heap, stacks)").number()).isLessThan(8.0);
                    assertThat(f.fix()).contains("O_DIRECT");
                });
            } finally {
                Files.deleteIfExists(out);
            }
        }
    }
}
