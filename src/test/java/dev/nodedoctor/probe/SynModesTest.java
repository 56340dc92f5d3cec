package dev.nodedoctor.probe;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * SYN-retry modes on connect times measured on this machine (Linux 6.18, tcp_syn_linear_timeouts = 4) and on
 * the retransmit schedule of kernels before the linear setting (1, 3, 7, 15 s: RTO 1 s, doubled per retry).
 */
class SynModesTest {

    @Test
    void retransmitTimesFollowTheKernelsSchedule() {
        // linear for the first 4 retries (tcp_retransmit_timer keeps the RTO while retries <= L), then doubling
        assertThat(SynModes.retransmitTimes(4, 7)).containsExactly(1, 2, 3, 4, 5, 7, 11);
        // classic exponential back-off: 1, 3, 7, 15, 31 s (the familiar connect timeouts of tcp_syn_retries)
        assertThat(SynModes.retransmitTimes(0, 5)).containsExactly(1, 3, 7, 15, 31);
    }

    @Test
    void measuredConnectTimesFallIntoTheirModes() {
        SynModes linear = new SynModes(4);
        // times (s) measured with 30-50 % SYN loss on a veth here (DESIGN.md; fixtures/net-counters-6.18/README.md)
        assertThat(linear.classify(0.016, 0)).isZero();
        assertThat(linear.classify(1.02, 0)).isEqualTo(1);
        assertThat(linear.classify(1.045, 0)).isEqualTo(1);
        assertThat(linear.classify(2.05, 0)).isEqualTo(2);
        assertThat(linear.classify(3.058, 0)).isEqualTo(3);
        assertThat(linear.classify(3.098, 0)).isEqualTo(3);
        assertThat(linear.label(3)).isEqualTo("~3 s");
        assertThat(linear.classify(1.6, 0)).as("between modes: slow, not a SYN retry").isEqualTo(-1);
        assertThat(linear.label(-1)).startsWith("slow");

        SynModes exponential = new SynModes(0);
        assertThat(exponential.classify(1.03, 0)).isEqualTo(1);
        assertThat(exponential.classify(3.05, 0)).isEqualTo(2);
        assertThat(exponential.classify(7.1, 0)).isEqualTo(3);
        assertThat(exponential.classify(2.05, 0)).as("no 2 s mode with exponential back-off").isEqualTo(-1);
        assertThat(exponential.label(2)).isEqualTo("~3 s");
    }

    @Test
    void aLongRoundTripIsSubtractedBeforeClassifying() {
        SynModes linear = new SynModes(4);
        // 250 ms round trip: a connect with one retry takes 1.25 s, which is still the 1 s mode
        assertThat(linear.classify(1.25, 0.25)).isEqualTo(1);
        assertThat(linear.classify(0.26, 0.25)).isZero();
    }

    @Test
    void summaryCountsModesSharesAndTimeouts() {
        double[] ms = {0.3, 0.4, 0.2, 1021, 1030, 2050, 0.5, 3070, 0.3, 0.4};
        List<TcpProbeReport.Attempt> raw = new ArrayList<>();
        for (int i = 0; i < ms.length; i++) {
            raw.add(new TcpProbeReport.Attempt(i + 1, TcpProbeReport.Outcome.CONNECTED, ms[i], 0, null));
        }
        raw.add(new TcpProbeReport.Attempt(11, TcpProbeReport.Outcome.TIMEOUT, 10000, 0, "no answer within 10000 ms"));
        raw.add(new TcpProbeReport.Attempt(12, TcpProbeReport.Outcome.REFUSED, 0.2, 0, "Connection refused"));
        TcpProbeReport r = TcpProbe.summarise("h:1", "10.0.0.1:1", new SynModes(4), raw, null);
        assertThat(r.connected()).isEqualTo(10);
        assertThat(r.refused()).isEqualTo(1);
        assertThat(r.timedOut()).isEqualTo(1);
        assertThat(r.modes()).extracting(TcpProbeReport.Mode::mode).containsExactly("fast", "~1 s", "~2 s", "~3 s");
        assertThat(r.modes()).extracting(TcpProbeReport.Mode::count).containsExactly(7, 2, 1, 1);
        // 4 connects with retries + 1 timeout, of 11 answered or timed out
        assertThat(r.retransmitShare()).isCloseTo(5.0 / 12, within(1e-9));
        assertThat(r.retriesSeen()).isEqualTo(1 + 1 + 2 + 3 + 1);
        assertThat(r.latency().max()).isCloseTo(3070, within(3070 * 0.001));
        assertThat(r.errors()).extracting(TcpProbeReport.ErrorCount::error)
                .containsExactly("no answer within 10000 ms", "Connection refused");
    }

    @Test
    void nothingAnsweredGivesAnEmptyButValidReport() {
        List<TcpProbeReport.Attempt> raw = List.of(
                new TcpProbeReport.Attempt(1, TcpProbeReport.Outcome.FAILED, 1, 0, "Network is unreachable"));
        TcpProbeReport r = TcpProbe.summarise("h:1", "10.0.0.1:1", new SynModes(4), raw, null);
        assertThat(r.latency()).isNull();
        assertThat(r.modes()).isEmpty();
        assertThat(r.retransmitShare()).isZero();
        assertThat(r.failed()).isEqualTo(1);
    }
}
