package dev.nodedoctor.accesslog;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splitting one plain (not compressed) log file into byte ranges that threads read side by side. A chunk
 * owns the lines that start inside its range: it skips the partial line it starts in (the previous chunk
 * reads that one to its end) and reads past its end to finish its last line.
 */
public final class FileChunks {
    private FileChunks() {
    }

    public record Range(long start, long end) {
    }

    /** {@code n} ranges of about equal size covering {@code [0, size)}. */
    public static List<Range> split(long size, int n) {
        List<Range> out = new ArrayList<>();
        long step = Math.max(1, size / n);
        for (long s = 0; s < size; s += step) {
            long e = out.size() == n - 1 ? size : Math.min(size, s + step);
            out.add(new Range(s, e));
            if (e == size) {
                break;
            }
        }
        return out;
    }

    /**
     * The lines of {@code in} that start in {@code [start, end)}; {@code in} is positioned at
     * {@code start - 1} when start &gt; 0 (so a chunk that starts right after a newline keeps its first line).
     */
    public static InputStream lines(InputStream in, long start, long end) {
        return new Bounded(in, start, end);
    }

    private static final class Bounded extends FilterInputStream {
        private long pos; // absolute offset of the next byte of the underlying stream
        private final long end;
        private boolean skipping;
        private boolean done;
        private boolean atLineStart = true;

        Bounded(InputStream in, long start, long end) {
            super(in);
            this.pos = start == 0 ? 0 : start - 1;
            this.end = end;
            this.skipping = start > 0;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (skipping) {
                int c = in.read();
                if (c < 0) {
                    return -1;
                }
                pos++;
                if (c == '\n') {
                    skipping = false;
                }
            }
            if (done) {
                return -1;
            }
            if (pos >= end && atLineStart) {
                done = true;
                return -1;
            }
            if (pos >= end) {
                // past our range: finish the line we are in, then stop
                int n = 0;
                while (n < len) {
                    int c = in.read();
                    if (c < 0) {
                        done = true;
                        break;
                    }
                    pos++;
                    b[off + n++] = (byte) c;
                    if (c == '\n') {
                        done = true;
                        break;
                    }
                }
                return n == 0 && done ? -1 : n;
            }
            int n = in.read(b, off, (int) Math.min(len, end - pos));
            if (n > 0) {
                pos += n;
                atLineStart = b[off + n - 1] == '\n';
            }
            if (n < 0) {
                done = true;
            }
            return n;
        }
    }
}
