package dev.nodedoctor.diagnose;

import dev.nodedoctor.accesslog.Buckets;
import dev.nodedoctor.accesslog.Filters;
import dev.nodedoctor.accesslog.LatencyAnalysis;
import dev.nodedoctor.accesslog.LatencyAnalyzer;
import dev.nodedoctor.accesslog.LatencyRun;
import dev.nodedoctor.accesslog.LogFormatChoice;
import dev.nodedoctor.accesslog.LogSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The latency rules on real logs: two nginx layers whose middle hop lost 30 % of its SYNs
 * (src/test/resources/accesslog/syn-drop/README.md; the expected counts there come from jq), and the
 * seven-request fixture, where nothing is slow.
 */
class LatencyRulesTest {
    static final Path DIR = Path.of("src/test/resources/accesslog");

    static LatencyAnalysis analyse(String join, String... layerFiles) throws IOException {
        List<LatencyRun.Layer> layers = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String f : layerFiles) {
            String name = Path.of(f).getFileName().toString().replace(".log", "");
            names.add(name);
            layers.add(new LatencyRun.Layer(name, List.of(LogSource.open(f, Files.newInputStream(DIR.resolve(f)),
                    LogFormatChoice.AUTO, join))));
        }
        return LatencyRun.run(layers, new LatencyAnalyzer(names, join, Filters.NONE, 300_000), Buckets.DEFAULT);
    }

    static List<Finding> evaluate(LatencyAnalysis a) {
        return RuleCatalogue.evaluate(RuleCatalogue.latency(Thresholds.defaults()), Observations.ofLatency(a)).findings();
    }

    @Test
    void droppedSynsAreTheConnectModeOnTheOuterHop() throws IOException {
        LatencyAnalysis a = analyse("trace_id", "syn-drop/edge.log", "syn-drop/ingress.log");
        assertThat(a.join().complete()).isEqualTo(300);
        List<Finding> findings = evaluate(a);
        Finding edge = findings.stream().filter(f -> f.id().equals(LatencyConnectModeRule.ID)
                && f.subject().equals("layer edge")).findFirst().orElseThrow();
        assertThat(edge.severity()).isEqualTo(Severity.CRITICAL);
        // jq: 64 near 1 s, 23 near 2 s, 9 near 3 s of 300
        assertThat(edge.title()).startsWith("32 % of requests waited ~1 s, 2 s, 3 s in upstream_connect_time at edge");
        assertThat(edge.evidence()).anySatisfy(e -> {
            assertThat(e.name()).isEqualTo("near 1 s");
            assertThat(e.number()).isEqualTo(64);
        });
        assertThat(edge.evidence()).anySatisfy(e -> {
            assertThat(e.name()).isEqualTo("near 2 s");
            assertThat(e.number()).isEqualTo(23);
        });
        assertThat(edge.evidence()).anySatisfy(e -> {
            assertThat(e.name()).isEqualTo("slow connects (≥ 0.9 s) to 127.0.0.1:18202");
            assertThat(e.number()).isEqualTo(97);
            assertThat(e.unit()).contains("mean 1.49 s");
        });
        assertThat(findings).anySatisfy(f -> {
            assertThat(f.id()).isEqualTo(LatencyConnectModeRule.ID);
            assertThat(f.subject()).isEqualTo("hop edge → ingress");
        });
        assertThat(findings).noneMatch(f -> f.subject().equals("layer ingress"));
        Finding hop = findings.stream().filter(f -> f.id().equals(LatencyHopRule.ID)).findFirst().orElseThrow();
        assertThat(hop.title()).isEqualTo("all of the tail is edge → ingress");
        assertThat(findings).noneMatch(f -> f.id().equals(LatencyUpstreamRule.ID));
        // the edge's connect p99 agrees with jq's exact nearest-rank 3.077 s to HdrHistogram's 3 digits
        assertThat(a.layers().get(0).connect().p99()).isBetween(3.077 * 0.999, 3.077 * 1.001);
    }

    @Test
    void healthyLogsHaveNoFindingsAndAbsentLogsAreSilent() throws IOException {
        assertThat(evaluate(analyse("trace_id", "json.log", "elk-hits.ndjson"))).isEmpty();
        Observations none = Observations.builder().build();
        assertThat(new LatencyConnectModeRule(Thresholds.defaults()).evaluate(none)).isEmpty();
        assertThat(new LatencyHopRule(Thresholds.defaults()).evaluate(none)).isEmpty();
        assertThat(new LatencyUpstreamRule(Thresholds.defaults()).evaluate(none)).isEmpty();
    }

    @Test
    void fractionsReadLikeTheInvestigation() {
        assertThat(LatencyHopRule.fraction(0.66)).isEqualTo("2/3");
        assertThat(LatencyHopRule.fraction(0.34)).isEqualTo("1/3");
        assertThat(LatencyHopRule.fraction(0.99)).isEqualTo("all");
        assertThat(LatencyHopRule.fraction(0.58)).isEqualTo("58 %");
    }
}
