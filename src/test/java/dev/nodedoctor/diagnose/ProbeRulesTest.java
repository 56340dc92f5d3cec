package dev.nodedoctor.diagnose;

import dev.nodedoctor.host.NetSnmp;
import dev.nodedoctor.probe.HiccupReport;
import dev.nodedoctor.probe.TcpCounters;
import dev.nodedoctor.sys.KernelFiles;
import dev.nodedoctor.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** kernel.hiccup and tcp.syn-retransmit on meter reports and on real counters. */
class ProbeRulesTest {
    private static final Instant T0 = Instant.parse("2026-11-26T04:00:00Z");

    private static HiccupReport report(long p999Micros, long maxMicros, long wakeups, List<HiccupReport.Stall> worst) {
        return new HiccupReport(10, 1000, wakeups, 70, Math.min(p999Micros, 500), p999Micros, maxMicros, worst, 0.3, 0);
    }

    @Test
    void hiccupThresholds() {
        HiccupRule rule = new HiccupRule(Thresholds.defaults());
        assertThat(rule.judge(report(9_000, 99_000, 10_000, List.of()))).isEmpty();
        assertThat(rule.judge(report(10_000, 20_000, 10_000, List.of()))).hasValueSatisfying(f ->
                assertThat(f.severity()).isEqualTo(Severity.WARNING));
        assertThat(rule.judge(report(2_000, 150_000, 10_000, List.of()))).hasValueSatisfying(f ->
                assertThat(f.severity()).isEqualTo(Severity.WARNING));
        assertThat(rule.judge(report(2_000, 1_200_000, 10_000, List.of()))).hasValueSatisfying(f -> {
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(f.score()).isCloseTo(1200, within(0.01));
        });
        assertThat(rule.judge(report(50_000, 500_000, 99, List.of()))).as("too few wake-ups").isEmpty();
        assertThat(rule.judge(report(50_000, 90_000, 300, List.of()))).as("p99.9 of 300 wake-ups is not judged").isEmpty();
        assertThat(rule.judge(report(50_000, 150_000, 300, List.of()))).as("but the maximum is").isPresent();
    }

    @Test
    void evenlySpacedStallsAreCalledPeriodic() {
        List<HiccupReport.Stall> periodic = List.of(new HiccupReport.Stall(T0.plusSeconds(20), 150_000),
                new HiccupReport.Stall(T0, 140_000), new HiccupReport.Stall(T0.plusSeconds(10), 130_000));
        Finding f = new HiccupRule(Thresholds.defaults()).judge(report(5_000, 150_000, 30_000, periodic)).orElseThrow();
        Evidence every = f.evidence().stream().filter(e -> e.name().equals("stalls repeat every")).findFirst().orElseThrow();
        assertThat(every.number()).isCloseTo(10, within(1e-9));
        assertThat(f.evidence()).anySatisfy(e -> assertThat(e.name()).isEqualTo("stall at " + T0));

        List<HiccupReport.Stall> irregular = List.of(new HiccupReport.Stall(T0, 150_000),
                new HiccupReport.Stall(T0.plusSeconds(2), 140_000), new HiccupReport.Stall(T0.plusSeconds(9), 130_000));
        assertThat(HiccupRule.periodOf(irregular)).isEmpty();
        assertThat(HiccupRule.periodOf(periodic.subList(0, 2))).as("two stalls are no period").isEmpty();
    }

    private static NetSnmp fixture(String name) throws Exception {
        try (InputStream in = ProbeRulesTest.class.getResourceAsStream("/fixtures/net-counters-6.18/" + name)) {
            byte[] b = in.readAllBytes();
            return NetSnmp.parse(b, b.length);
        }
    }

    @Test
    void countersOfANamespaceWithLostSynsGiveTheFinding() throws Exception {
        NetSnmp after = fixture("netstat").plus(fixture("snmp"));
        // a network namespace starts with every counter at zero
        Map<String, Long> zero = new HashMap<>();
        after.counters().keySet().forEach(k -> zero.put(k, 0L));
        TcpCounters c = TcpCounters.between(new NetSnmp(zero), after, 12.0);
        // nstat-asz.txt of the fixture: TcpExtTCPSynRetrans 6, TcpActiveOpens 8, TcpExtListenDrops 1
        assertThat(c.synRetrans()).isEqualTo(6);
        assertThat(c.activeOpens()).isEqualTo(8);
        assertThat(c.listenDrops()).isEqualTo(1);
        Finding f = new SynRetransmitRule(Thresholds.defaults()).fromCounters(c).orElseThrow();
        assertThat(f.id()).isEqualTo("tcp.syn-retransmit");
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.evidence().get(0).number()).isCloseTo(6 / 12.0, within(1e-9));
        assertThat(f.evidence().get(0).source()).isEqualTo("/proc/net/netstat");
        assertThat(f.evidence()).anySatisfy(e -> {
            assertThat(e.name()).isEqualTo("SYN retransmits per connect");
            assertThat(e.number()).isCloseTo(0.75, within(1e-9));
        });
        // the same namespace seen twice at the same moment: nothing changed, nothing to say
        assertThat(new SynRetransmitRule(Thresholds.defaults()).fromCounters(TcpCounters.between(after, after, 3)))
                .isEmpty();
    }

    @Test
    void aCounterThatWentBackwardsIsUnknownNotNegative() throws Exception {
        NetSnmp after = fixture("netstat").plus(fixture("snmp"));
        TcpCounters c = TcpCounters.between(after, new NetSnmp(Map.of("TcpExt.TCPSynRetrans", 0L)), 3);
        assertThat(c.synRetrans()).isEqualTo(-1);
        assertThat(c.activeOpens()).isEqualTo(-1);
        assertThat(c.perSecond(c.synRetrans())).isZero();
    }

    @Test
    void aCaptureWithoutEarlierCountersSaysSoAndTheMeterIsLiveOnly() throws Exception {
        try (KernelFiles files = KernelFiles.at(Fixtures.v1Root(), Duration.ofSeconds(2))) {
            Investigation.Result r = Investigation.run(files, Duration.ZERO, Thresholds.defaults());
            assertThat(r.observations().hiccup()).isInstanceOf(Part.Absent.class);
            assertThat(((Part.Absent<?>) r.observations().hiccup()).why()).contains("live");
            // this capture predates the earlier-moment copy of /proc/net/netstat
            assertThat(r.observations().tcp()).isInstanceOf(Part.Absent.class);
            assertThat(((Part.Absent<?>) r.observations().tcp()).why()).contains("/proc/net/netstat");
        }
    }
}
