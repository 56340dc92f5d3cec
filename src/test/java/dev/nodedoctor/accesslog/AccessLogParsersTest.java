package dev.nodedoctor.accesslog;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The parsers on lines a real nginx wrote (src/test/resources/accesslog/README.md): every format must read
 * the same seven requests the same way. Expected values are read off the fixture lines.
 */
class AccessLogParsersTest {
    static final Path DIR = Path.of("src/test/resources/accesslog");

    record Row(long rt, long ct, long ht, long ut, int tries, int status, String path, String addr, String key,
               long millis) {
    }

    static List<Row> read(InputStream in, LogFormatChoice choice, String join, List<LogSource.Stats> stats) throws IOException {
        List<Row> rows = new ArrayList<>();
        try (LogSource s = LogSource.open("test", in, choice, join)) {
            AccessRecord r = new AccessRecord();
            while (s.next(r)) {
                rows.add(new Row(r.requestMicros(), r.connectMicros(), r.headerMicros(), r.responseMicros(), r.tries(),
                        r.status(), r.path(), r.upstreamAddr(), r.joinKey(), r.epochMillis()));
            }
            if (stats != null) {
                stats.add(s.stats());
            }
        }
        return rows;
    }

    static List<Row> read(String file, String join) throws IOException {
        return read(Files.newInputStream(DIR.resolve(file)), LogFormatChoice.AUTO, join, null);
    }

    static String format(String file) throws IOException {
        try (LogSource s = LogSource.open(file, Files.newInputStream(DIR.resolve(file)), LogFormatChoice.AUTO, null)) {
            return s.format();
        }
    }

    @Test
    void formatsAreDetected() throws IOException {
        assertThat(format("json.log")).isEqualTo("json");
        assertThat(format("combined.log")).isEqualTo("combined");
        assertThat(format("ingress.log")).isEqualTo("ingress");
        assertThat(format("elk-hits.ndjson")).isEqualTo("elk");
        assertThat(format("elk-search.json")).isEqualTo("elk-search");
    }

    @Test
    void jsonLinesWithEscapesIpv6DashesAndUpstreamLists() throws IOException {
        List<Row> rows = read("json.log", "trace_id");
        assertThat(rows).hasSize(7);
        Row first = rows.get(0);
        assertThat(first.rt()).isEqualTo(1000);
        assertThat(first.ct()).isZero();
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.path()).isEqualTo("/api/items?id=1");
        assertThat(first.addr()).isEqualTo("127.0.0.1:18102");
        assertThat(first.key()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(first.millis()).isEqualTo(1795665383549L); // "msec":"1795665383.549"
        assertThat(rows.get(1).key()).isEqualTo("00f067aa0ba902b7"); // the IPv6 client's line
        assertThat(rows.get(2).ct()).isEqualTo(1000); // the line with "quotes" in the User-Agent
        Row local = rows.get(3); // no upstream: escape=json writes ""
        assertThat(local.ct()).isEqualTo(-1);
        assertThat(local.ut()).isEqualTo(-1);
        assertThat(local.tries()).isZero();
        assertThat(local.key()).isNull();
        Row flaky = rows.get(4); // "-, 0.000": the first server refused, the second answered
        assertThat(flaky.ct()).isZero();
        assertThat(flaky.ut()).isZero();
        assertThat(flaky.tries()).isEqualTo(2);
        assertThat(flaky.addr()).isEqualTo("127.0.0.1:18199, 127.0.0.1:18102");
        Row redirect = rows.get(5); // "0.001 : 0.000": an internal redirect to another upstream
        assertThat(redirect.ct()).isEqualTo(1000);
        assertThat(redirect.ut()).isEqualTo(1000);
        assertThat(redirect.tries()).isEqualTo(2);
        assertThat(rows.get(6).path()).isEqualTo("/post?a=%22b%22");
    }

    @Test
    void combinedAndIngressReadTheSameRequests() throws IOException {
        List<Row> json = read("json.log", null);
        List<Row> combined = read("combined.log", null);
        List<Row> ingress = read("ingress.log", "req_id");
        assertThat(combined).hasSize(7);
        assertThat(ingress).hasSize(7);
        for (int i = 0; i < 7; i++) {
            assertThat(combined.get(i).rt()).as("line %d", i + 1).isEqualTo(json.get(i).rt());
            assertThat(combined.get(i).ct()).as("line %d", i + 1).isEqualTo(json.get(i).ct());
            assertThat(combined.get(i).ht()).as("line %d", i + 1).isEqualTo(json.get(i).ht());
            assertThat(combined.get(i).ut()).as("line %d", i + 1).isEqualTo(json.get(i).ut());
            assertThat(combined.get(i).tries()).as("line %d", i + 1).isEqualTo(json.get(i).tries());
            assertThat(combined.get(i).status()).isEqualTo(200);
            assertThat(ingress.get(i).rt()).as("line %d", i + 1).isEqualTo(json.get(i).rt());
            assertThat(ingress.get(i).tries()).as("line %d", i + 1).isEqualTo(json.get(i).tries());
            // $time_local has whole seconds: the same second as $msec
            assertThat(combined.get(i).millis()).isEqualTo(json.get(i).millis() / 1000 * 1000);
        }
        assertThat(combined.get(0).path()).isEqualTo("/api/items?id=1"); // from "$request"
        assertThat(ingress.get(4).addr()).isEqualTo("127.0.0.1:18199, 127.0.0.1:18102");
        assertThat(ingress.get(5).addr()).isEqualTo("127.0.0.1:18102 : 127.0.0.1:18102");
        assertThat(ingress.get(5).ut()).isEqualTo(1000);
        assertThat(ingress.get(0).key()).isEqualTo("d4c264e085165d2484bbac90b24eafeb");
        assertThat(ingress.get(0).ct()).isEqualTo(-1); // ingress' default format has no connect time
        assertThat(ingress.get(3).ut()).isEqualTo(-1);
    }

    @Test
    void elasticsearchHitsAndSearchResponse() throws IOException {
        List<Row> json = read("json.log", "trace_id");
        assertThat(read("elk-hits.ndjson", "trace_id")).isEqualTo(json);
        assertThat(read("elk-search.json", "trace_id")).isEqualTo(json);
    }

    @Test
    void customFormatMapsVariablesByName() throws IOException {
        String fmt = "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent "
                + "\"$http_referer\" \"$http_user_agent\" $request_time $upstream_connect_time $upstream_header_time "
                + "$upstream_response_time";
        List<Row> custom = read(Files.newInputStream(DIR.resolve("combined.log")),
                LogFormatChoice.parse("custom:'" + fmt + "'"), null, null);
        assertThat(custom).isEqualTo(read("combined.log", null));
    }

    @Test
    void valuesAsNginxWritesThem() {
        int[] tries = new int[1];
        assertThat(NginxTimes.parse("1.403", tries)).isEqualTo(1_403_000);
        assertThat(NginxTimes.parse("-", tries)).isEqualTo(-1);
        assertThat(NginxTimes.parse("", tries)).isEqualTo(-1);
        assertThat(NginxTimes.parse("0.001, 0.002", tries)).isEqualTo(3000);
        assertThat(tries[0]).isEqualTo(2);
        assertThat(NginxTimes.parse("0.001, 0.002 : 1.000", tries)).isEqualTo(1_003_000);
        assertThat(tries[0]).isEqualTo(3);
        assertThat(NginxTimes.parse("12", tries)).isEqualTo(12_000_000);
        assertThat(NginxTimes.parse("abc", tries)).isEqualTo(Long.MIN_VALUE);
        // the three-decimal shape has its own quick path: it must agree with the general one around it
        assertThat(NginxTimes.parse("0.000", tries)).isZero();
        assertThat(tries[0]).isEqualTo(1);
        assertThat(NginxTimes.parse("3599.999", tries)).isEqualTo(3_599_999_000L);
        assertThat(NginxTimes.parse(".403", tries)).isEqualTo(403_000);
        assertThat(NginxTimes.parse("1.4035", tries)).isEqualTo(1_403_500);
        assertThat(NginxTimes.parse("1.4O3", tries)).isEqualTo(Long.MIN_VALUE);
        assertThat(NginxTimes.parse("x.403", tries)).isEqualTo(Long.MIN_VALUE);
        assertThat(NginxTimes.parse("1,403", tries)).isEqualTo(404_000_000L); // a list "1, 403"
        assertThat(tries[0]).isEqualTo(2);
        assertThat(Timestamps.parse("26/Nov/2026:03:56:23 +0000", AccessRecord.TimeKind.LOCAL)).isEqualTo(1795665383000L);
        assertThat(Timestamps.parse("2026-11-26T04:56:23+01:00", AccessRecord.TimeKind.ISO8601)).isEqualTo(1795665383000L);
        assertThat(Timestamps.parse("2026-11-26T03:56:23.549Z", AccessRecord.TimeKind.ISO8601)).isEqualTo(1795665383549L);
        assertThat(Timestamps.parse("1795665383.549", AccessRecord.TimeKind.MSEC)).isEqualTo(1795665383549L);
    }

    @Test
    void keysThatChangeOrderOrLengthBetweenLinesAreStillKnown() throws IOException {
        // the scanner remembers each position's key from the previous line; a line with other keys there
        // (reordered, one key the prefix of another, an escaped quote in a key) must not be misread
        String lines = """
                {"status":"200","request_time":"0.100","upstream_response_time":"0.090"}
                {"request_time":"0.200","status":"502","upstream_response_time":"0.190"}
                {"statusx":"404","request_time":"0.300","status":"503"}
                {"stat\\"us":"404","request_time":"0.400","status":"504"}
                {"stat\\"us":"404","request_time":"0.500","status":"505"}
                {"status":"200","request_time":"0.600"}
                """;
        List<Row> rows = read(bytes(lines), new LogFormatChoice(LogFormatChoice.Kind.JSON, null), null, null);
        assertThat(rows).extracting(Row::rt).containsExactly(100_000L, 200_000L, 300_000L, 400_000L, 500_000L, 600_000L);
        assertThat(rows).extracting(Row::status).containsExactly(200, 502, 503, 504, 505, 200);
        assertThat(rows).extracting(Row::ut).containsExactly(90_000L, 190_000L, -1L, -1L, -1L, -1L);
    }

    // ---- bad input ----

    @Test
    void aGarbageLineInTheMiddleIsCountedWithItsLineNumber() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(DIR.resolve("json.log")));
        lines.add(3, "}}} not json at all \u0000");
        lines.add(5, "{\"request_time\":\"1.4");
        List<LogSource.Stats> stats = new ArrayList<>();
        List<Row> rows = read(bytes(String.join("\n", lines) + "\n"), LogFormatChoice.AUTO, null, stats);
        assertThat(rows).hasSize(7);
        assertThat(stats.get(0).bad()).isEqualTo(2);
        assertThat(stats.get(0).badSamples()).extracting(LogSource.BadLine::line).containsExactly(4L, 6L);
        assertThat(stats.get(0).badSamples().get(0).reason()).contains("not a JSON object");
    }

    @Test
    void aGarbageLineInATextFormat() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(DIR.resolve("combined.log")));
        lines.add(2, "127.0.0.1 - - [26/Nov/2026:03:56:23 +0000] \"GET / HTTP/1.1\" 200 8 \"-\" \"x\" fast - - -");
        List<LogSource.Stats> stats = new ArrayList<>();
        assertThat(read(bytes(String.join("\n", lines)), LogFormatChoice.AUTO, null, stats)).hasSize(7);
        assertThat(stats.get(0).badSamples()).singleElement().satisfies(b -> {
            assertThat(b.line()).isEqualTo(3);
            assertThat(b.reason()).contains("$request_time");
        });
    }

    @Test
    void anUnknownFormatNamesWhatWasExpected() {
        assertThatThrownBy(() -> read(bytes("Nov 26 03:56:23 host kernel: hello\n"), LogFormatChoice.AUTO, null, null))
                .isInstanceOf(LogSource.UnknownFormatException.class)
                .hasMessageContaining("unknown log format")
                .hasMessageContaining("JSON lines")
                .hasMessageContaining("ingress-nginx")
                .hasMessageContaining("--format custom:");
        assertThatThrownBy(() -> LogFormatChoice.parse("apache")).hasMessageContaining("expected auto, json");
        assertThatThrownBy(() -> new LogFormat("$remote_addr $status", null)).hasMessageContaining("nothing to measure");
    }

    @Test
    void aTruncatedGzipKeepsWhatWasRead() throws IOException {
        byte[] plain = Files.readAllBytes(DIR.resolve("json.log"));
        ByteArrayOutputStream big = new ByteArrayOutputStream();
        for (int i = 0; i < 2000; i++) {
            big.write(plain);
        }
        byte[] gz = gzip(big.toByteArray());
        assertThat(read(new ByteArrayInputStream(gz), LogFormatChoice.AUTO, null, null)).hasSize(14_000);
        byte[] cut = java.util.Arrays.copyOf(gz, gz.length * 2 / 3);
        List<LogSource.Stats> stats = new ArrayList<>();
        List<Row> rows = read(new ByteArrayInputStream(cut), LogFormatChoice.AUTO, null, stats);
        assertThat(rows.size()).isBetween(1, 13_999);
        assertThat(stats.get(0).brokenOff()).contains("input ended early").contains("kept what was read");
    }

    @Test
    void anEmptyFileHasNoRecordsAndNoError() throws IOException {
        List<LogSource.Stats> stats = new ArrayList<>();
        assertThat(read(bytes(""), LogFormatChoice.AUTO, null, stats)).isEmpty();
        assertThat(stats.get(0).bad()).isZero();
        assertThat(read(bytes("\n\n  \n"), LogFormatChoice.AUTO, null, null)).isEmpty();
    }

    @Test
    void aHugeLineIsSkippedNotFatal() throws IOException {
        String line = Files.readAllLines(DIR.resolve("json.log")).get(0);
        String huge = "{\"request_time\":\"0.1\",\"pad\":\"" + "x".repeat(3 << 20) + "\"}";
        List<LogSource.Stats> stats = new ArrayList<>();
        List<Row> rows = read(bytes(line + "\n" + huge + "\n" + line + "\n"), new LogFormatChoice(LogFormatChoice.Kind.JSON, null), null, stats);
        assertThat(rows).hasSize(3);
        assertThat(rows.get(1).rt()).isEqualTo(100_000);
    }

    static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
