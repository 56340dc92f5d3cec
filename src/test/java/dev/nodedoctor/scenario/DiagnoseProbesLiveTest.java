package dev.nodedoctor.scenario;

import dev.nodedoctor.diagnose.Investigation;
import dev.nodedoctor.diagnose.Thresholds;
import dev.nodedoctor.probe.HiccupReport;
import dev.nodedoctor.probe.TcpCounters;
import dev.nodedoctor.sys.KernelFiles;
import dev.nodedoctor.testkit.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** `diagnose` on the live node runs the hiccup meter over its window and reads the TCP counters twice. */
class DiagnoseProbesLiveTest {
    @TempDir
    Path tmp;

    @Test
    void theWindowCarriesAHiccupReportAndTcpCounterRates() throws Exception {
        try (KernelFiles files = KernelFiles.live()) {
            Investigation.Result r = Investigation.run(files, Duration.ofSeconds(1), Thresholds.defaults());
            HiccupReport h = r.observations().hiccup().get().orElseThrow();
            assertThat(h.seconds()).isGreaterThanOrEqualTo(1.0);
            assertThat(h.wakeups()).as("20 ms sleeps over >= 1 s").isGreaterThan(20);
            assertThat(h.maxMicros()).isGreaterThanOrEqualTo(h.p999Micros()).isGreaterThanOrEqualTo(h.p50Micros());
            TcpCounters c = r.observations().tcp().get().orElseThrow();
            assertThat(c.seconds()).isGreaterThanOrEqualTo(1.0);
            assertThat(c.synRetrans()).isNotNegative();
            assertThat(c.activeOpens()).isNotNegative();
        }
    }

    @Test
    void theReportShowsTheMeterAndTheCounters() throws Exception {
        Cli.Run text = Cli.run("diagnose", "--duration", "1s");
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).containsPattern("hiccups: \\d+ wake-ups of 20 ms sleeps, delay p99 [0-9.]+ ms")
                .contains("tcp: SYN retransmits ");
        Cli.Run json = Cli.run("diagnose", "--duration", "1s", "--json");
        com.fasterxml.jackson.databind.JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
        assertThat(doc.get("hiccup").get("wakeups").asLong()).isPositive();
        assertThat(doc.get("tcp").get("synRetrans").asLong()).isNotNegative();
        // the window was spent sampling candidates' open files: 1 s at 100 ms minus the warm-up, fewer when the
        // rounds are slow on a loaded machine
        assertThat(doc.get("cgroupReaders").get("samples").asInt()).isBetween(1, 10);
        assertThat(doc.get("cgroupReaders").get("candidates").size()).isPositive();
        assertThat(doc.get("chains").isArray()).isTrue();
    }

    @Test
    void aFreshCaptureKeepsTheCountersOfBothMoments() throws Exception {
        Path out = tmp.resolve("node.tar.gz");
        assertThat(Cli.run("capture", "-o", out.toString(), "--duration", "300ms").exit()).isZero();
        Path dir = dev.nodedoctor.capture.BundleReader.unpack(out);
        try (KernelFiles files = KernelFiles.at(dir, Duration.ofSeconds(2))) {
            Investigation.Result r = Investigation.run(files, Duration.ZERO, Thresholds.defaults());
            TcpCounters c = r.observations().tcp().get().orElseThrow();
            assertThat(c.seconds()).isBetween(0.25, 5.0);
            assertThat(c.retransSegs()).isNotNegative();
        }
    }
}
