package dev.nodedoctor.accesslog;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad bytes in a text field never crash a run, and a reader thread that fails fails the run. */
class ReaderFailureTest {
    @Test
    void aBadUnicodeEscapeIsKeptAsLogged() {
        byte[] line = "{\"request_uri\":\"/a\\uZZZZ\\u00e9\\u12\",\"request_time\":\"0.100\"}".getBytes(StandardCharsets.UTF_8);
        AccessRecord r = new AccessRecord();
        assertThat(new JsonLineScanner(null).parse(line, 0, line.length, r)).isTrue();
        assertThat(r.path()).isEqualTo("/a\\uZZZZé\\u12");
    }

    @Test
    void aReaderThatFailsFailsTheParallelRun() throws IOException {
        byte[] lines = Files.readAllBytes(Path.of("src/test/resources/accesslog/json.log"));
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (head.size() < 3 << 20) { // past the first buffer fill, so the failure comes while reading
            head.write(lines);
        }
        byte[] good = head.toByteArray();
        InputStream breaking = new InputStream() {
            int at;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at >= good.length) {
                    throw new IllegalStateException("device went away");
                }
                int n = Math.min(len, good.length - at);
                System.arraycopy(good, at, b, off, n);
                at += n;
                return n;
            }
        };
        LogSource src = LogSource.open("breaking", breaking, LogFormatChoice.AUTO, null);
        LogSource ok = LogSource.open("ok", new java.io.ByteArrayInputStream(lines), LogFormatChoice.AUTO, null);
        List<LatencyRun.Layer> layers = List.of(new LatencyRun.Layer("x", List.of(src, ok)));
        assertThatThrownBy(() -> LatencyRun.runParallel(layers,
                () -> new LatencyAnalyzer(List.of("x"), null, Filters.NONE, 0), 2, Buckets.DEFAULT))
                .isInstanceOf(IllegalStateException.class).hasMessage("device went away");
    }
}
