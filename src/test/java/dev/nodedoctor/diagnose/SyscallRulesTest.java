package dev.nodedoctor.diagnose;

import dev.nodedoctor.trace.StraceFixtures;
import dev.nodedoctor.trace.TraceSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The syscall.* rules on the real strace fixtures (src/test/resources/fixtures/strace). */
class SyscallRulesTest {
    @TempDir
    Path tmp;

    private static Observations with(TraceSummary t) {
        return Observations.builder().trace(Part.of(t)).build();
    }

    private static List<Finding> run(Thresholds th, String fixture) {
        return RuleCatalogue.evaluate(List.of(new FutexTimeoutsRule(th), new SyscallErrorStormRule(th),
                new SlowSyscallRule(th)), with(StraceFixtures.parse(fixture))).findings();
    }

    private Thresholds overrides(String text) throws IOException {
        Path f = tmp.resolve("t.properties");
        Files.writeString(f, text);
        return Thresholds.load(f, RuleCatalogue.thresholds());
    }

    @Test
    void futexTimedWaitLoopsFire() {
        for (String fixture : List.of("futex-C-f-tt-T.txt.gz", "java-park-C-f-ttt-T.txt.gz")) {
            List<Finding> f = run(Thresholds.defaults(), fixture);
            assertThat(f).as(fixture).extracting(Finding::id).containsExactly(FutexTimeoutsRule.ID);
            Finding futex = f.get(0);
            assertThat(futex.title()).contains("timed futex waits expired");
            assertThat(futex.evidence()).anyMatch(e -> e.name().equals("timeouts per second") && e.number() > 1000);
            assertThat(futex.fix()).contains("profile");
        }
    }

    @Test
    void aCountTableAloneInfersTheTimeouts() {
        List<Finding> f = run(Thresholds.defaults(), "java-park-c-f.txt");
        assertThat(f).extracting(Finding::id).containsExactly(FutexTimeoutsRule.ID);
        assertThat(f.get(0).title()).contains("futex failed 3462 times", "no errno");
        assertThat(run(Thresholds.defaults(), "futex-c-f.txt")).extracting(Finding::id).containsExactly(FutexTimeoutsRule.ID);
    }

    @Test
    void healthyTracesAreQuiet() {
        assertThat(run(Thresholds.defaults(), "read-cgroup-C-tt-T.txt.gz")).isEmpty();
        assertThat(run(Thresholds.defaults(), "bash-signals-f-tt-T.txt.gz")).isEmpty();
        assertThat(run(Thresholds.defaults(), "gitlab-strace4-f-tt-T-y.txt.gz")).isEmpty();
        assertThat(RuleCatalogue.evaluate(List.of(new FutexTimeoutsRule(Thresholds.defaults())),
                Observations.builder().build()).findings()).isEmpty();
    }

    @Test
    void slowReadNamesTheCgroupFile() throws IOException {
        // memory.stat reads take ~20 µs here; a 0.01 ms limit makes them "slow" to exercise the rule
        List<Finding> f = run(overrides("syscall.slow.mean-ms = 0.01"), "read-cgroup-C-tt-T.txt.gz");
        Finding read = f.stream().filter(x -> x.id().equals(SlowSyscallRule.ID) && x.title().startsWith("read of"))
                .findFirst().orElseThrow();
        assertThat(read.title()).contains("/sys/fs/cgroup/memory/memory.stat");
        assertThat(read.evidence()).anyMatch(e -> e.name().equals("file (fd 3)"));
        assertThat(read.why()).contains("kernel file");
        // waiting calls are never judged, however long
        assertThat(f).noneMatch(x -> x.title().startsWith("clock_nanosleep"));
    }

    @Test
    void slowCallsOfSocketsAreNotJudged() throws IOException {
        List<Finding> f = run(overrides("syscall.slow.mean-ms = 0.001"), "gitlab-strace4-f-tt-T-y.txt.gz");
        assertThat(f).filteredOn(x -> x.id().equals(SlowSyscallRule.ID)).isNotEmpty()
                .noneMatch(x -> x.title().contains("TCP:") || x.title().contains("pipe:"));
    }

    @Test
    void errorStormNamesTheErrno() throws IOException {
        List<Finding> f = run(overrides("syscall.error-storm.per-second = 50\nsyscall.error-storm.ratio = 0.4"),
                "bash-signals-f-tt-T.txt.gz");
        Finding storm = f.stream().filter(x -> x.id().equals(SyscallErrorStormRule.ID)).findFirst().orElseThrow();
        assertThat(storm.title()).startsWith("openat fails").contains("mostly ENOENT");
        assertThat(storm.evidence()).anyMatch(e -> e.name().equals("errno ENOENT"));
        assertThat(storm.why()).contains("does not exist");
    }

    @Test
    void futexTimeoutsAreNotAlsoAnErrorStorm() throws IOException {
        List<Finding> f = run(overrides("syscall.error-storm.per-second = 1\nsyscall.error-storm.ratio = 0.01"),
                "futex-C-f-tt-T.txt.gz");
        assertThat(f).extracting(Finding::id).doesNotContain(SyscallErrorStormRule.ID);
        assertThat(SyscallErrorStormRule.meaning("ENOENT")).contains("does not exist");
    }
}
