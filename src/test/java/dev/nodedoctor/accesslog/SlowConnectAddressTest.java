package dev.nodedoctor.accesslog;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow connects are counted per upstream address; the address is decoded once per distinct byte string,
 * which must give the same names as decoding every line (escaped, listed, absent and reused buffers).
 */
class SlowConnectAddressTest {
    @Test
    void addressesAreTheSameAsDecodedPerLine() {
        String[] addrs = {"10.0.0.7:8080", "10.0.0.8:8080", "10.0.0.7:8080, 10.0.0.8:8080", "unix:\\/run\\/app.sock",
            "-", "10.0.0.7:8080"};
        LatencyAnalyzer a = new LatencyAnalyzer(List.of("x"), null, Filters.NONE, 0);
        JsonLineScanner scanner = new JsonLineScanner(null);
        AccessRecord r = new AccessRecord();
        for (int round = 0; round < 3; round++) {
            for (String addr : addrs) {
                // a fresh buffer per line, as LogSource refills its buffer: cached keys must own their bytes
                byte[] line = ("{\"upstream_addr\":\"" + addr + "\",\"upstream_connect_time\":\"1.020\","
                        + "\"request_time\":\"1.100\"}").getBytes(StandardCharsets.UTF_8);
                assertThat(scanner.parse(line, 0, line.length, r)).as(addr).isTrue();
                a.add(0, r);
                java.util.Arrays.fill(line, (byte) 'z');
            }
        }
        List<LatencyAnalysis.Upstream> ups = a.finish(Buckets.DEFAULT, List.of()).layers().get(0).slowConnects();
        assertThat(ups).extracting(LatencyAnalysis.Upstream::addr).containsExactly("10.0.0.7:8080",
                "(none logged)", "10.0.0.7:8080, 10.0.0.8:8080", "10.0.0.8:8080", "unix:/run/app.sock");
        assertThat(ups).extracting(LatencyAnalysis.Upstream::slowConnects).containsExactly(6L, 3L, 3L, 3L, 3L);
    }
}
