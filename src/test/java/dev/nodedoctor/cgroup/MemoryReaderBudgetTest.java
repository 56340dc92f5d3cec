package dev.nodedoctor.cgroup;

import dev.nodedoctor.sys.KernelFiles;
import dev.nodedoctor.sys.ReadTiming;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a sick node nodedoctor must not read every container's memory.stat: once the reads of a pass cost the
 * budget (here: one read that never answers, a FIFO), the remaining cgroups are read without it.
 */
class MemoryReaderBudgetTest {
    private static final String MOUNT = "/sys/fs/cgroup/memory";

    @TempDir
    Path root;

    private void cgroup(String rel, boolean hangingStat) throws Exception {
        Path dir = root.resolve(MOUNT.substring(1)).resolve(rel);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("memory.usage_in_bytes"), "4096\n");
        Files.writeString(dir.resolve("memory.limit_in_bytes"), "9223372036854771712\n");
        Files.writeString(dir.resolve("memory.max_usage_in_bytes"), "8192\n");
        Files.writeString(dir.resolve("memory.failcnt"), "0\n");
        Files.writeString(dir.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
        Files.writeString(dir.resolve("memory.kmem.usage_in_bytes"), "0\n");
        if (hangingStat) {
            assertThat(new ProcessBuilder("mkfifo", dir.resolve("memory.stat").toString()).start().waitFor()).isZero();
        } else {
            Files.writeString(dir.resolve("memory.stat"), "cache 0\nrss 4096\ninactive_file 0\n");
        }
    }

    @Test
    void statReadsStopAtTheBudgetAndTheRestIsStillRead() throws Exception {
        cgroup("", true); // the root's memory.stat never answers: the pass is over budget after the first batch
        for (int i = 0; i < 99; i++) {
            cgroup("c" + i, false);
        }
        CgroupLayout layout = new CgroupLayout(CgroupLayout.Mode.V1, Map.of("memory", MOUNT), null, Set.of(), List.of());
        List<ReadTiming> statReads = new ArrayList<>();
        List<String> remarks = new ArrayList<>();
        try (KernelFiles files = KernelFiles.at(root, Duration.ofMillis(1100))) {
            Map<String, CgroupMemory> all = new MemoryReader(files, layout).readAll(e -> { }, statReads, remarks::add);
            assertThat(all).hasSize(100);
            assertThat(statReads).hasSize(MemoryReader.BATCH);
            assertThat(statReads.get(0).timedOut()).isTrue();
            long withStat = all.values().stream().filter(m -> !m.stat().isEmpty()).count();
            assertThat(withStat).isEqualTo(MemoryReader.BATCH - 1);
            assertThat(all.values()).allSatisfy(m -> assertThat(m.usage()).isEqualTo(4096));
            assertThat(remarks).singleElement().asString().contains("64 of 100 memory cgroups");
        }
    }
}
