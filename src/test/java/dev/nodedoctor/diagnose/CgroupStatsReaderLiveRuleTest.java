package dev.nodedoctor.diagnose;

import dev.nodedoctor.sample.CgroupFileReaders;
import dev.nodedoctor.sample.Delta;
import dev.nodedoctor.sample.ProcessDelta;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live side of cgroup.stats-reader, judged on the sampling's numbers: the holder of a PSI trigger or an OOM
 * eventfd keeps a cgroup file open in every sample but burns no system time, and must stay silent. (The live
 * test with a real reading process is CgroupReadersLiveTest.)
 */
class CgroupStatsReaderLiveRuleTest {
    private static final String PATH = "/sys/fs/cgroup/memory/kubepods/memory.stat";

    private static List<Finding> judge(int holding, double systemPercent) {
        CgroupFileReaders.Reader r = new CgroupFileReaders.Reader(812, "kubelet", holding, 30,
                Map.of("memory.stat", holding), PATH);
        CgroupFileReaders.Report report = new CgroupFileReaders.Report(100, 30, Map.of(812, "kubelet"), List.of(r),
                List.of());
        ProcessDelta p = new ProcessDelta(812, "kubelet", "/usr/bin/kubelet", "/", systemPercent + 2, 2, systemPercent,
                40, 10, 1, 0, 120_000, 50);
        Delta d = new Delta(3, null, null, null, List.of(p), List.of(), List.of());
        Observations obs = Observations.builder().cpu(Part.of(d)).cgroupReaders(Part.of(report)).build();
        return new CgroupStatsReaderRule(Thresholds.defaults()).evaluate(obs);
    }

    @Test
    void aBusyReaderFires() {
        assertThat(judge(24, 30)).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo("pid 812 (kubelet)");
            assertThat(f.evidence().get(0).number()).isEqualTo(80.0);
            assertThat(f.title()).contains("memory.stat ×24");
        });
    }

    @Test
    void aHolderWithoutSystemTimeIsNotAReader() {
        assertThat(judge(30, 0.5)).isEmpty();
    }

    @Test
    void aReaderCaughtRarelyIsHealthy() {
        assertThat(judge(3, 30)).isEmpty(); // 10 % of samples: under the 20 % threshold
    }
}
