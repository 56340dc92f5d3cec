package dev.nodedoctor.profile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads lines split on '\n' only (as Perl's {@code <>}), one byte per char (ISO-8859-1), so that any bytes —
 * UTF-8 names, stray '\r' or 0x85 — pass through unchanged and sort byte-wise like Perl strings. Streams: holds
 * one line at a time, and refuses a line longer than {@code maxLine} bytes instead of growing without bound.
 */
public final class LineReader implements AutoCloseable {
    public static final int DEFAULT_MAX_LINE = 16 << 20;

    private final InputStream in;
    private final int maxLine;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int end;
    private byte[] line = new byte[256];
    private long lineNumber;
    private final String what;

    public LineReader(InputStream in, String what) {
        this(in, what, DEFAULT_MAX_LINE);
    }

    public LineReader(InputStream in, String what, int maxLine) {
        this.in = in;
        this.what = what;
        this.maxLine = maxLine;
    }

    /** The next line without its '\n', or null at the end of the input. */
    public String next() throws IOException, ProfileFormatException {
        return next(StandardCharsets.ISO_8859_1);
    }

    /** The next line decoded with {@code charset} (UTF-8 for folded stacks, as flamegraph.pl reads them). */
    public String next(java.nio.charset.Charset charset) throws IOException, ProfileFormatException {
        int len = 0;
        boolean any = false;
        while (true) {
            if (pos == end) {
                end = in.read(buf);
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    if (!any) {
                        return null;
                    }
                    lineNumber++;
                    return new String(line, 0, len, charset);
                }
            }
            any = true;
            int start = pos;
            while (pos < end && buf[pos] != '\n') {
                pos++;
            }
            int n = pos - start;
            if (len + n > maxLine) {
                throw new ProfileFormatException(what + ": line " + (lineNumber + 1) + " is longer than "
                        + (maxLine >> 20) + " MiB; not a stack or perf script file");
            }
            if (len + n > line.length) {
                line = Arrays.copyOf(line, Math.max(len + n, line.length * 2));
            }
            System.arraycopy(buf, start, line, len, n);
            len += n;
            if (pos < end) {
                pos++; // the '\n'
                lineNumber++;
                return new String(line, 0, len, charset);
            }
        }
    }

    public long lineNumber() {
        return lineNumber;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
