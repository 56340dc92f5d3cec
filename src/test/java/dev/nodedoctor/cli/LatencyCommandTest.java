package dev.nodedoctor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nodedoctor.testkit.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** `nodedoctor latency` as a user meets it, on the real nginx lines in src/test/resources/accesslog. */
class LatencyCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path DIR = Path.of("src/test/resources/accesslog");

    @TempDir
    Path tmp;

    static String f(String name) {
        return DIR.resolve(name).toString();
    }

    static void assertOneLineError(Cli.Run r, int exit, String... contains) {
        assertThat(r.exit()).as("exit code; stderr: %s", r.err()).isEqualTo(exit);
        assertThat(r.err().lines()).as("stderr").hasSize(1);
        assertThat(r.err()).startsWith("nodedoctor: error: ").contains(contains).doesNotContain("\tat ");
    }

    @Test
    void textReportHasTablesHistogramsAndLayers() {
        Cli.Run r = Cli.run("latency", f("json.log"), f("ingress.log"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("layer json: 7 requests", "layer ingress: 7 requests", "p99.9",
                "request_time", "0.00–0.10", "100.0 %", "2 with several upstream tries", "No findings");
    }

    @Test
    void jsonHasPercentilesBucketsAndSources() throws Exception {
        Cli.Run r = Cli.run("latency", "--json", "--layer", "edge=" + f("json.log"), "--layer", "edge=" + f("elk-hits.ndjson"));
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode doc = JSON.readTree(r.out());
        JsonNode layer = doc.get("analysis").get("layers").get(0);
        assertThat(layer.get("name").asText()).isEqualTo("edge");
        assertThat(layer.get("records").asLong()).isEqualTo(14);
        assertThat(layer.get("sources")).hasSize(2);
        JsonNode rt = layer.get("requestTime");
        assertThat(rt.get("count").asLong()).isEqualTo(14);
        assertThat(rt.get("max").asDouble()).isEqualTo(0.001); // the fixture's largest request_time
        assertThat(rt.get("buckets").get(0).asLong()).isEqualTo(14);
        assertThat(rt.get("buckets")).hasSize(36); // 0.1 s buckets to 3.5 s, then one for the rest
        assertThat(rt.has("centis")).isFalse();
        assertThat(doc.get("analysis").get("precision").asText()).contains("HdrHistogram");
        assertThat(doc.get("findings")).isEmpty();
    }

    @Test
    void filtersSelectRequests() throws Exception {
        JsonNode doc = JSON.readTree(Cli.run("latency", "--json", "--path", "^/api/", f("combined.log")).out());
        assertThat(doc.get("analysis").get("layers").get(0).get("records").asLong()).isEqualTo(2);
        doc = JSON.readTree(Cli.run("latency", "--json", "--upstream", "18199", f("json.log")).out());
        assertThat(doc.get("analysis").get("layers").get(0).get("records").asLong()).isEqualTo(1);
        doc = JSON.readTree(Cli.run("latency", "--json", "--status", "5xx", f("json.log")).out());
        assertThat(doc.get("analysis").get("layers").get(0).get("records").asLong()).isZero();
        doc = JSON.readTree(Cli.run("latency", "--json", "--min-time", "1ms", f("json.log")).out());
        assertThat(doc.get("analysis").get("layers").get(0).get("records").asLong()).isEqualTo(4);
        doc = JSON.readTree(Cli.run("latency", "--json", "--since", "2026-11-26T03:56:23.700Z", f("json.log")).out());
        assertThat(doc.get("analysis").get("layers").get(0).get("records").asLong()).isEqualTo(3);
        doc = JSON.readTree(Cli.run("latency", "--json", "--until", "2026-11-26T03:56:24Z", f("combined.log")).out());
        assertThat(doc.get("analysis").get("layers").get(0).get("records").asLong()).isEqualTo(7);
    }

    @Test
    void joinAcrossFormatsOfTheSameRequests() throws Exception {
        // json.log and elk-search.json hold the same requests: every one with a trace id joins, gaps are 0
        Cli.Run r = Cli.run("latency", "--json", "--join", "trace_id", f("json.log"), f("elk-search.json"));
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode join = JSON.readTree(r.out()).get("analysis").get("join");
        assertThat(join.get("complete").asLong()).isEqualTo(5); // two lines have an empty trace_id
        assertThat(join.get("missingKey").get(0).asLong()).isEqualTo(2);
        assertThat(join.get("hops").get(0).get("gap").get("max").asDouble()).isZero();
    }

    @Test
    void aJoinFieldMissingEverywhereIsSaid() {
        Cli.Run r = Cli.run("latency", "--join", "span_id", f("json.log"), f("combined.log"));
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("join field 'span_id' missing in every record of layer json");
        assertThat(r.out()).contains("0 requests in every layer");
    }

    @Test
    void badInputIsOneClearLine() throws Exception {
        Path text = Files.writeString(tmp.resolve("syslog"), "Nov 26 03:56:23 host kernel: hello\n");
        assertOneLineError(Cli.run("latency", text.toString()), 3, "unknown log format", "expected JSON lines",
                "--format custom:");
        assertOneLineError(Cli.run("latency", tmp.resolve("nope.log").toString()), 3, "nope.log: no such file");
        assertOneLineError(Cli.run("latency", "--format", "apache", f("json.log")), 2, "expected auto, json");
        assertOneLineError(Cli.run("latency"), 2, "no logs given");
        assertOneLineError(Cli.run("latency", "--status", "abc", f("json.log")), 2, "--status 'abc'");
        assertOneLineError(Cli.run("latency", "--path", "(", f("json.log")), 2, "not a regular expression");
        assertOneLineError(Cli.run("latency", "--since", "yesterday", f("json.log")), 2, "ISO-8601");
        assertOneLineError(Cli.run("latency", "--format", "custom:'$remote_addr $status'", f("json.log")), 2,
                "nothing to measure");
        assertOneLineError(Cli.run("latency", "--buckets", "x", f("json.log")), 2, "--buckets 'x'");
    }

    @Test
    void emptyGarbageAndTruncatedInputsStillReport() throws Exception {
        Path empty = Files.createFile(tmp.resolve("empty.log"));
        Cli.Run r = Cli.run("latency", empty.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("layer empty: 0 requests");

        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(DIR.resolve("json.log")));
        lines.add(2, "GET /garbage HTTP/1.1 <- not a log line");
        Path garbage = Files.write(tmp.resolve("garbage.log"), lines);
        r = Cli.run("latency", garbage.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("7 records, 1 bad lines skipped", "line 3: not a JSON object");

        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(raw)) {
            byte[] one = Files.readAllBytes(DIR.resolve("json.log"));
            for (int i = 0; i < 3000; i++) {
                gz.write(one);
            }
        }
        byte[] bytes = raw.toByteArray();
        Path cut = Files.write(tmp.resolve("cut.log.gz"), Arrays.copyOf(bytes, bytes.length / 2));
        r = Cli.run("latency", cut.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.err()).contains("warning", "input ended early");
        assertThat(r.out()).contains("layer cut:");
    }

    @Test
    void htmlIsSelfContained() throws Exception {
        Path page = tmp.resolve("report.html");
        Cli.Run r = Cli.run("latency", "--html", page.toString(), "--join", "trace_id", f("json.log"), f("elk-hits.ndjson"));
        assertThat(r.exit()).as(r.err()).isZero();
        String html = Files.readString(page);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg", "Layer json", "Join on trace_id")
                .doesNotContain("<script", "http://cdn", "https://cdn", "src=\"http");
    }

    @Test
    void threadsOverChunksGiveTheSameAnswerAsOneThread() throws Exception {
        List<String> one = Files.readAllLines(DIR.resolve("json.log"));
        List<String> lines = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            lines.addAll(one);
            if (i == 33) {
                lines.add("garbage in the middle");
            }
        }
        Path big = Files.write(tmp.resolve("big.log"), lines);
        long saved = LatencyCommand.splitBytes;
        LatencyCommand.splitBytes = 1000;
        try {
            JsonNode seq = JSON.readTree(Cli.run("latency", "--json", "--threads", "1", big.toString()).out()).get("analysis");
            JsonNode par = JSON.readTree(Cli.run("latency", "--json", "--threads", "3", big.toString()).out()).get("analysis");
            assertThat(par).isEqualTo(seq);
            JsonNode src = seq.get("layers").get(0).get("sources").get(0);
            assertThat(src.get("records").asLong()).isEqualTo(420);
            assertThat(src.get("badSamples").get(0).get("line").asLong()).isEqualTo(34 * 7 + 1);
        } finally {
            LatencyCommand.splitBytes = saved;
        }
    }

    @Test
    void stdinIsALayer() throws Exception {
        LatencyCommand c = new LatencyCommand();
        c.stdin = Files.newInputStream(DIR.resolve("ingress.log"));
        picocli.CommandLine cl = new picocli.CommandLine(c);
        java.io.StringWriter out = new java.io.StringWriter();
        cl.setOut(new java.io.PrintWriter(out));
        assertThat(cl.execute("-")).isZero();
        assertThat(out.toString()).contains("layer stdin: 7 requests", "stdin: ingress");
    }
}
