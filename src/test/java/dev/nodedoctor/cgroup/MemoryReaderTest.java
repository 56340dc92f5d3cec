package dev.nodedoctor.cgroup;

import dev.nodedoctor.sys.KernelFileException;
import dev.nodedoctor.sys.KernelFiles;
import dev.nodedoctor.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The memory controller readers on the v2 Debian node (README values) and the v1 capture (raw files). */
class MemoryReaderTest {
    static final String B = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-poddf494f48_9b0d_4b0a_a38e_e8ecbcc51690.slice";
    static final String BA = B + "/cri-containerd-3230f737b03de3d001a61e82d2dcd0845794301a4779370e04fadee8a0e9e5e4.scope";
    static final String V1_CTR = "/kubepods/burstable/pod5b1f2c7e-3d4a-4e8b-9c1d-2a7f6e0b9c41/7f3c9a1e5b2d4c6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5";

    private static CgroupMemory read(Path root, String cgroup) {
        try (KernelFiles files = KernelFiles.at(root, Duration.ofSeconds(2))) {
            List<KernelFileException> errors = new ArrayList<>();
            CgroupMemory m = new MemoryReader(files, CgroupLayout.discover(files)).read(cgroup, errors::add);
            assertThat(errors).isEmpty();
            return m;
        }
    }

    @Test
    void v2BurstableContainerAsTheReadmeSays() {
        CgroupMemory m = read(Fixtures.v2Root(), BA);
        assertThat(m.v2()).isTrue();
        // README: memory.current / memory.peak 47443968 / 66994176; memory.stat anon 106496, file 46333952,
        // shmem 12582912, file_dirty 8388608, file_writeback 0, inactive_file 27459584, active_file 6291456;
        // working set = current − inactive_file = 19984384; memory.events oom_kill 1; limit 67108864
        assertThat(m.usage()).isEqualTo(47443968);
        assertThat(m.maxUsage()).isEqualTo(66994176);
        assertThat(m.limit()).isEqualTo(67108864);
        assertThat(m.hasLimit()).isTrue();
        assertThat(m.anon()).isEqualTo(106496);
        assertThat(m.file()).isEqualTo(46333952);
        assertThat(m.shmem()).isEqualTo(12582912);
        assertThat(m.dirty()).isEqualTo(8388608);
        assertThat(m.writeback()).isZero();
        assertThat(m.inactiveFile()).isEqualTo(27459584);
        assertThat(m.activeFile()).isEqualTo(6291456);
        assertThat(m.workingSet()).isEqualTo(19984384);
        assertThat(m.event("oom_kill")).isEqualTo(1);
        assertThat(m.event("oom")).isZero();
    }

    @Test
    void v2PodCountsTheOomAtItsLevel() {
        CgroupMemory pod = read(Fixtures.v2Root(), B);
        // README: B memory.events max 20, oom 1, oom_kill 1; peak 67108864
        assertThat(pod.event("oom")).isEqualTo(1);
        assertThat(pod.event("oom_kill")).isEqualTo(1);
        assertThat(pod.failcnt()).isEqualTo(20);
        assertThat(pod.maxUsage()).isEqualTo(67108864);
    }

    @Test
    void v2BestEffortHasNoLimit() {
        CgroupMemory m = read(Fixtures.v2Root(),
                "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod8dd66803_bdd2_4157_a910_b4bf33ad7bf7.slice");
        assertThat(m.limit()).isEqualTo(Long.MAX_VALUE);
        assertThat(m.hasLimit()).isFalse();
    }

    @Test
    void v1ContainerFromItsRawFiles() {
        Path root = Fixtures.v1Root();
        CgroupMemory m = read(root, V1_CTR);
        String dir = "/sys/fs/cgroup/memory" + V1_CTR;
        Map<String, Long> stat = new java.util.HashMap<>();
        Fixtures.read(root, dir + "/memory.stat").lines().forEach(l -> stat.put(l.split(" ")[0], Long.parseLong(l.split(" ")[1])));
        assertThat(m.v2()).isFalse();
        assertThat(m.usage()).isEqualTo(Long.parseLong(Fixtures.read(root, dir + "/memory.usage_in_bytes").trim()));
        assertThat(m.limit()).isEqualTo(64L << 20);
        assertThat(m.failcnt()).isEqualTo(Long.parseLong(Fixtures.read(root, dir + "/memory.failcnt").trim()));
        // v1 hierarchical names: total_cache, total_rss, total_inactive_file (cAdvisor's working set uses these)
        assertThat(m.file()).isEqualTo(stat.get("total_cache"));
        assertThat(m.anon()).isEqualTo(stat.get("total_rss"));
        assertThat(m.dirty()).isEqualTo(stat.get("total_dirty"));
        assertThat(m.workingSet()).isEqualTo(Math.max(0, m.usage() - stat.get("total_inactive_file")));
        assertThat(m.event("oom_kill")).isZero();
        assertThat(m.event("under_oom")).isZero();
    }

    @Test
    void v1RootIsUnlimited() {
        CgroupMemory root = read(Fixtures.v1Root(), "/");
        // v1 prints PAGE_COUNTER_MAX pages × 4096 = 9223372036854771712 for "no limit"
        assertThat(Fixtures.read(Fixtures.v1Root(), "/sys/fs/cgroup/memory/memory.limit_in_bytes").trim())
                .isEqualTo("9223372036854771712");
        assertThat(root.hasLimit()).isFalse();
    }
}
