package dev.nodedoctor.accesslog;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/** Byte-range chunks of a file must hold every line exactly once, wherever the ranges cut. */
class FileChunksTest {

    static byte[] chunk(byte[] data, long start, long end) throws IOException {
        InputStream in = new ByteArrayInputStream(data);
        in.skipNBytes(Math.max(0, start - 1));
        return FileChunks.lines(in, start, end).readAllBytes();
    }

    @Test
    void chunksCoverEveryLineOnce() throws IOException {
        byte[] data = Files.readAllBytes(AccessLogParsersTest.DIR.resolve("combined.log"));
        for (int n = 1; n <= 9; n++) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (FileChunks.Range r : FileChunks.split(data.length, n)) {
                all.write(chunk(data, r.start(), r.end()));
            }
            assertThat(all.toByteArray()).as("%d chunks", n).isEqualTo(data);
        }
        // every cut point, including right after and right before a newline
        for (int cut = 1; cut < data.length; cut++) {
            byte[] joined = concat(chunk(data, 0, cut), chunk(data, cut, data.length));
            assertThat(joined).as("cut at %d", cut).isEqualTo(data);
        }
    }

    @Test
    void aFileWithoutTrailingNewline() throws IOException {
        byte[] data = "a\nbb\nccc".getBytes();
        for (int cut = 1; cut < data.length; cut++) {
            assertThat(concat(chunk(data, 0, cut), chunk(data, cut, data.length))).isEqualTo(data);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
