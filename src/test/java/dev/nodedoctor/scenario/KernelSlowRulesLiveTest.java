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

    /** Loopback TCP for a few seconds: every send raises a NET_RX softirq on the sending CPU. */
    private static final String LOOPBACK_SENDER = String.join("\n",
            "import socket, threading, time, sys",
            "srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen(1)",
            "def sink():",
            "    c, _ = srv.accept()",
            "    while c.recv(65536): pass",
            "threading.Thread(target=sink, daemon=True).start()",
            "s = socket.create_connection(srv.getsockname())",
            "end = time.time() + float(sys.argv[1])",
            "while time.time() < end: s.send(b'x' * 1024)",
            "");

    @Test
    void netRxSoftirqsPinnedToOneCpuAreAStorm() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs python3 to generate loopback traffic");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/taskset")), "needs taskset (util-linux) to pin the sender");
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "a storm on one CPU needs several CPUs");
        // a quiet node first: with the defaults nothing is a storm
        assertThat(diagnose(null, Duration.ofMillis(500)).diagnosis().findings()).extracting(Finding::id)
                .doesNotContain("cpu.softirq-storm");
        Path script = tmp.resolve("sender.py");
        Files.writeString(script, LOOPBACK_SENDER);
        Process sender = new ProcessBuilder("taskset", "-c", "1", "python3", script.toString(), "4").start();
        try {
            Thread.sleep(300);
            Investigation.Result r = diagnose("cpu.softirq-storm.per-second = 500\n", Duration.ofSeconds(1));
            assertThat(r.diagnosis().findings()).filteredOn(f -> f.id().equals("cpu.softirq-storm")
                            && f.title().startsWith("NET_RX")).singleElement()
                    .satisfies(f -> {
                        assertThat(f.title()).contains("on CPU1");
                        assertThat(f.evidence().get(0).name()).isEqualTo("NET_RX on CPU1");
                        assertThat(f.evidence().get(0).number()).isGreaterThan(500.0);
                        assertThat(f.evidence().get(0).source()).isEqualTo("/proc/softirqs");
                        assertThat(f.evidence().get(2).number()).isGreaterThanOrEqualTo(80.0); // % on CPU1
                        assertThat(f.why()).contains("receive");
                    });
        } finally {
            sender.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
