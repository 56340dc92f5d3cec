package dev.nodedoctor.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nodedoctor.testkit.Cli;
import dev.nodedoctor.testkit.NetNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SYN loss on the live kernel. A network namespace joined to ours by a veth holds a listener and an
 * nftables rule that drops 30 % of the SYNs arriving for port 8080 (no netem here), two SYNs of every three
 * for port 8083 (a counter, not chance: each connect loses exactly two) and all SYNs for port 8081 (a target
 * that never answers); 8082 has no listener. `probe tcp` runs in our namespace and connects over the veth,
 * so its SYNs are the ones lost: it must find the ~1 s mode with about 30 % of connects retried, and the
 * ~2 s mode.
 */
class SynRetransmitScenarioTest {
    private static final int DROP_PERCENT = 30;
    private static NetNamespace ns;

    @BeforeAll
    static void namespace() throws Exception {
        ns = NetNamespace.create();
        ns.nft("table inet ndprobe {\n"
                + "  chain input {\n"
                + "    type filter hook input priority 0; policy accept;\n"
                + "    tcp dport 8080 tcp flags & (syn|ack) == syn numgen random mod 100 < " + DROP_PERCENT + " drop\n"
                + "    tcp dport 8081 tcp flags & (syn|ack) == syn drop\n"
                + "    tcp dport 8083 tcp flags & (syn|ack) == syn numgen inc mod 3 < 2 drop\n"
                + "  }\n"
                + "}\n");
        ns.listen(8080);
        ns.listen(8081);
        ns.listen(8083);
    }

    @AfterAll
    static void cleanUp() {
        if (ns != null) {
            ns.close();
            assertThat(ns.vethExists()).as("veth removed").isFalse();
            assertThat(java.nio.file.Files.exists(java.nio.file.Path.of("/run/netns", ns.name()))).isFalse();
        }
    }

    /** Two SYNs lost for each connect: every connect lands in the ~2 s mode, when the second retry goes out. */
    @Test
    void twoLostSynsLandInTheTwoSecondMode() throws Exception {
        Cli.Run run = Cli.run("probe", "tcp", ns.address() + ":8083", "--count", "2", "--interval", "0",
                "--timeout", "10s", "--json");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode tcp = new ObjectMapper().readTree(run.out()).get("tcp");
        assertThat(tcp.get("connected").asInt()).isEqualTo(2);
        assertThat(tcp.get("modes")).hasSize(1);
        JsonNode mode = tcp.get("modes").get(0);
        assertThat(mode.get("mode").asText()).isEqualTo("~2 s");
        assertThat(mode.get("count").asInt()).isEqualTo(2);
        assertThat(mode.get("retries").asInt()).isEqualTo(2);
        assertThat(mode.get("medianMillis").asDouble() / 1000).isBetween(2.0, 2.3);
        assertThat(tcp.get("retransmitShare").asDouble()).isEqualTo(1.0);
    }

    @Test
    void synLossShowsTheRetransmitModesAndTheFinding() throws Exception {
        int count = 80;
        Cli.Run run = Cli.run("probe", "tcp", ns.address() + ":8080", "--count", String.valueOf(count),
                "--interval", "0", "--timeout", "10s", "--json");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode tcp = new ObjectMapper().readTree(run.out()).get("tcp");
        Map<String, Integer> modes = new HashMap<>();
        tcp.get("modes").forEach(m -> modes.put(m.get("mode").asText(), m.get("count").asInt()));
        // ~2 s needs two lost SYNs in a row (p = 0.063 a connect): none in 80 one run in 200, so the ~2 s mode
        // is checked on port 8083 above, and here only its timing when it shows
        assertThat(modes).containsKeys("fast", "~1 s");
        int judged = tcp.get("connected").asInt() + tcp.get("refused").asInt() + tcp.get("timedOut").asInt();
        assertThat(judged).isEqualTo(count);
        // a connect needs a retry exactly when its first SYN is dropped: p = 0.30; 80 connects give σ ≈ 0.05
        double share = tcp.get("retransmitShare").asDouble();
        assertThat(share).isBetween(DROP_PERCENT / 100.0 - 0.16, DROP_PERCENT / 100.0 + 0.16);
        // every connect in the ~k s mode took k SYN retries: the kernel counted at least those for us
        long synRetrans = tcp.get("counters").get("synRetrans").asLong();
        assertThat(synRetrans).isGreaterThanOrEqualTo(tcp.get("retriesSeen").asLong());
        // when the k-th retry goes out (ip-sysctl.rst, tcp_syn_linear_timeouts = 4 on this kernel: four 1 s
        // timeouts, then doubling): 1, 2, 3, 4, 5, 7, 11 s; a rare connect that lost five SYNs lands at 7 s
        double[] retryAt = {1, 2, 3, 4, 5, 7, 11};
        for (JsonNode m : tcp.get("modes")) {
            int retries = m.get("retries").asInt();
            if (retries > 0 && retries <= retryAt.length) {
                assertThat(m.get("medianMillis").asDouble() / 1000).as(m.get("mode").asText())
                        .isBetween(retryAt[retries - 1], retryAt[retries - 1] + 0.3);
            }
        }
        JsonNode finding = new ObjectMapper().readTree(run.out()).get("findings").get(0);
        assertThat(finding.get("id").asText()).isEqualTo("tcp.syn-retransmit");
        assertThat(finding.get("severity").asText()).isEqualTo("CRITICAL");
        assertThat(finding.get("evidence").get(0).get("number").asDouble()).isCloseTo(100 * share,
                org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void aTargetThatNeverAnswersTimesOutWithAClearSummary() {
        Cli.Run run = Cli.run("probe", "tcp", ns.address() + ":8081", "--count", "2", "--interval", "0",
                "--timeout", "1500ms");
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.out()).contains("2 connects: 0 connected, 0 refused, 2 timed out")
                .contains("no answer within 1500 ms (2×)");
        assertThat(run.err().strip()).isEqualTo("nodedoctor: error: no connect to " + ns.address()
                + ":8081 succeeded: 0 refused, 2 timed out, 0 failed (no answer within 1500 ms)");
    }

    @Test
    void aPortWithoutListenerIsRefusedWithTheErrnoText() {
        Cli.Run run = Cli.run("probe", "tcp", ns.address() + ":8082", "--count", "3", "--interval", "0");
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.out()).contains("3 refused").contains("error: Connection refused (3×)");
        assertThat(run.err()).startsWith("nodedoctor: error: no connect").doesNotContain("\tat ");
    }
}
