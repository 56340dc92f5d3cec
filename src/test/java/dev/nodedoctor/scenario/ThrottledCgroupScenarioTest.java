package dev.nodedoctor.scenario;

import dev.nodedoctor.diagnose.Evidence;
import dev.nodedoctor.diagnose.Finding;
import dev.nodedoctor.diagnose.Investigation;
import dev.nodedoctor.diagnose.Severity;
import dev.nodedoctor.diagnose.Thresholds;
import dev.nodedoctor.sys.KernelFiles;
import dev.nodedoctor.testkit.ScratchCgroups;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live, as root: a busy loop under a 10 % CPU quota in a throw-away v1 cgroup must make `diagnose` report
 * cpu.throttled for that cgroup, with a throttling ratio that agrees with the cgroup's own cpu.stat read
 * around the same window. (This machine's cgroup2 mount has no cpu controller, so there is no live v2 case;
 * v2 is covered by the captured Debian 6.1 tree.)
 */
class ThrottledCgroupScenarioTest {

    private static long field(String stat, String key) {
        return stat.lines().filter(l -> l.startsWith(key + " ")).mapToLong(l -> Long.parseLong(l.split(" ")[1]))
                .findFirst().orElseThrow();
    }

    @Test
    void busyLoopUnderTenPercentQuotaIsReportedAsThrottled() throws Exception {
        try (ScratchCgroups cg = ScratchCgroups.requireV1Cpu()) {
            String path = cg.create("", "cpu", "cpuacct");
            cg.write("cpu", path, "cpu.cfs_period_us", "100000");
            cg.write("cpu", path, "cpu.cfs_quota_us", "10000");
            // two busy loops want two cores against a limit of 0.1: throttled in every period even on a busy machine
            Process loop = cg.start(path, "sh -c 'while :; do :; done'", "cpu", "cpuacct");
            cg.start(path, "sh -c 'while :; do :; done'", "cpu", "cpuacct");
            Thread.sleep(300);
            assertThat(loop.isAlive()).isTrue();

            String before = cg.read("cpu", path, "cpu.stat");
            Investigation.Result r;
            try (KernelFiles files = KernelFiles.live()) {
                r = Investigation.run(files, Duration.ofSeconds(2), Thresholds.defaults());
            }
            String after = cg.read("cpu", path, "cpu.stat");
            long periods = field(after, "nr_periods") - field(before, "nr_periods");
            long throttled = field(after, "nr_throttled") - field(before, "nr_throttled");
            double outerRatio = (double) throttled / periods;
            assertThat(outerRatio).as("the kernel itself throttles the loops").isGreaterThan(0.5);

            List<Finding> hits = r.diagnosis().findings().stream()
                    .filter(f -> f.id().equals("cpu.throttled") && f.subject().equals("cgroup " + path)).toList();
            assertThat(hits).singleElement().satisfies(f -> {
                Evidence share = f.evidence().stream().filter(e -> e.name().equals("throttled share")).findFirst().orElseThrow();
                // nodedoctor's window lies inside ours: the same throttling, measured over a slightly shorter time
                assertThat(share.number() / 100).isBetween(outerRatio - 0.2, 1.0);
                assertThat(f.severity()).isEqualTo(share.number() >= 75 ? Severity.CRITICAL : Severity.WARNING);
                Evidence p = f.evidence().stream().filter(e -> e.name().equals("throttled periods")).findFirst().orElseThrow();
                assertThat(p.number()).isLessThanOrEqualTo(throttled);
                Evidence limit = f.evidence().stream().filter(e -> e.name().equals("CPU limit")).findFirst().orElseThrow();
                assertThat(limit.number()).isEqualTo(0.1);
                Evidence used = f.evidence().stream().filter(e -> e.name().equals("CPU used")).findFirst().orElseThrow();
                assertThat(used.number()).isBetween(0.03, 0.12);
                assertThat(f.evidence()).anySatisfy(e -> assertThat(e.source())
                        .isEqualTo("/sys/fs/cgroup/cpu" + path + "/cpu.stat"));
            });
            // the loop's wait for CPU is attributed to the throttling, not to a busy machine
            assertThat(r.diagnosis().findings()).anySatisfy(f -> {
                assertThat(f.id()).isEqualTo("cpu.contention");
                assertThat(f.subject()).isEqualTo("pid " + loop.pid() + " (sh)");
                assertThat(f.causes()).containsExactly("cpu.throttled");
            });
            Path dir = Path.of("/sys/fs/cgroup/cpu" + path);
            assertThat(Files.exists(dir)).isTrue();
        }
    }
}
