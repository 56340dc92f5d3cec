package dev.nodedoctor.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nodedoctor.sys.Parser;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** /proc/net/netstat and /proc/net/snmp against what nstat printed for the same namespace and moment. */
class NetSnmpTest {
    private static final String DIR = "/fixtures/net-counters-6.18/";

    private static byte[] fixture(String name) throws Exception {
        try (InputStream in = NetSnmpTest.class.getResourceAsStream(DIR + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static NetSnmp parse(String text) throws Parser.MalformedException {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        return NetSnmp.parse(b, b.length);
    }

    @Test
    void everyCounterNstatPrintsIsParsedWithItsValue() throws Exception {
        byte[] netstat = fixture("netstat");
        byte[] snmp = fixture("snmp");
        NetSnmp all = NetSnmp.parse(netstat, netstat.length).plus(NetSnmp.parse(snmp, snmp.length));
        JsonNode kernel = new ObjectMapper().readTree(fixture("nstat-asz.json")).get("kernel");
        // nstat names a counter by its group and name run together: TcpExtTCPSynRetrans = TcpExt.TCPSynRetrans
        Map<String, Long> byNstatName = new java.util.HashMap<>();
        all.counters().forEach((k, v) -> byNstatName.put(k.replace(".", ""), v));
        int compared = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = kernel.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().matches("(Ip6|Icmp6|Udp6|UdpLite6).*")) {
                continue; // nstat also reads /proc/net/snmp6, a different format that nodedoctor does not read
            }
            assertThat(byNstatName).as(e.getKey()).containsEntry(e.getKey(), e.getValue().asLong());
            compared++;
        }
        assertThat(compared).isGreaterThan(100);
        assertThat(all.get("TcpExt.TCPSynRetrans")).isEqualTo(6);
        assertThat(all.get("Tcp.ActiveOpens")).isEqualTo(8);
        assertThat(all.get("TcpExt.ListenDrops")).isEqualTo(1);
        assertThat(all.get("Tcp.MaxConn")).as("a signed counter").isEqualTo(-1);
        assertThat(all.get("TcpExt.NoSuchCounter")).isEqualTo(-1);
    }

    @Test
    void theCapturedNodesFilesParseToo() throws Exception {
        java.nio.file.Path root = dev.nodedoctor.testkit.Fixtures.v1Root();
        byte[] netstat = java.nio.file.Files.readAllBytes(root.resolve("proc/net/netstat"));
        NetSnmp n = NetSnmp.parse(netstat, netstat.length);
        assertThat(n.get("TcpExt.TCPSynRetrans")).isNotNegative();
        assertThat(n.get("IpExt.InOctets")).isPositive();
    }

    @Test
    void badInputIsAClearErrorOrAPartialResult() throws Exception {
        assertThat(parse("").counters()).isEmpty();
        assertThat(parse("\n\n").counters()).isEmpty();
        // a file cut after a header: the complete pairs are kept
        assertThat(parse("Tcp: A B\nTcp: 1 2\nUdp: X Y\n").counters()).containsOnly(Map.entry("Tcp.A", 1L), Map.entry("Tcp.B", 2L));
        assertThat(parse("Tcp: A B\nTcp: 1 2\nUdp: X Y").counters()).hasSize(2);
        assertThatThrownBy(() -> parse("Tcp: A B\nTcp: 1\n")).isInstanceOf(Parser.MalformedException.class)
                .hasMessageContaining("2 names but 1 values");
        assertThatThrownBy(() -> parse("Tcp: A\nTcp: x1\n")).isInstanceOf(Parser.MalformedException.class)
                .hasMessageContaining("Tcp.A = 'x1' is not a number");
        assertThatThrownBy(() -> parse("garbage without colon\n")).isInstanceOf(Parser.MalformedException.class)
                .hasMessageContaining("line 1");
        byte[] binary = new byte[4096];
        new java.util.Random(7).nextBytes(binary);
        try {
            NetSnmp.parse(binary, binary.length);
        } catch (Parser.MalformedException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
        // huge: 20000 counters in one group parse in well under a second (5 s allows for a loaded machine)
        StringBuilder names = new StringBuilder("Big:");
        StringBuilder values = new StringBuilder("Big:");
        for (int i = 0; i < 20_000; i++) {
            names.append(" C").append(i);
            values.append(' ').append(i);
        }
        long t0 = System.nanoTime();
        assertThat(parse(names + "\n" + values + "\n").get("Big.C19999")).isEqualTo(19_999);
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(5);
    }
}
