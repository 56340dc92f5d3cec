package dev.nodedoctor.profile;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Hands out the lines of a stream as byte ranges of one large buffer, split on '\n' only (as Perl's {@code <>}):
 * no String and no copy per line, so parsers can look at bytes and build objects only for what they keep. The
 * buffer holds one block (1 MiB) plus the line cut at its end; a line longer than {@code maxLine} bytes is refused
 * instead of growing the buffer without bound. A last line without '\n' is still a line.
 */
final class ByteLines {
    /** Receives one line: {@code buf[start, end)} without its '\n'. The range is valid only during the call. */
    @FunctionalInterface
    interface Sink {
        void line(byte[] buf, int start, int end) throws ProfileFormatException;
    }

    static final int BLOCK = 1 << 20;
    /** Longest line accepted (16 MiB): a line longer than this is corrupt input, not a stack. */
    static final int DEFAULT_MAX_LINE = 16 << 20;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private ByteLines() {
    }

    /** Feeds every line of {@code in} to {@code sink}; returns the number of lines. */
    static long forEach(InputStream in, String what, int maxLine, Sink sink) throws IOException, ProfileFormatException {
        byte[] buf = new byte[BLOCK + 1024];
        int len = 0;     // bytes held in buf[0, len)
        long lines = 0;
        while (true) {
            if (buf.length - len < BLOCK / 2) {
                // room for at least half a block behind the cut line, so each read() is a large one; the cap
                // still leaves a block of room, as the cut line is at most maxLine long (checked below)
                buf = Arrays.copyOf(buf, Math.min(Math.max(buf.length * 2, len + BLOCK), maxLine + BLOCK + 1));
            }
            int n = in.read(buf, len, buf.length - len);
            if (n < 0) {
                if (len > 0) {
                    lines++;
                    sink.line(buf, 0, len);
                }
                return lines;
            }
            int scanFrom = len;
            len += n;
            int start = 0;
            for (int i = indexOf(buf, scanFrom, len); i >= 0; i = indexOf(buf, i + 1, len)) {
                lines++;
                sink.line(buf, start, i);
                start = i + 1;
            }
            int rest = len - start;
            if (rest > maxLine) {
                throw new ProfileFormatException(what + ": line " + (lines + 1) + " is longer than "
                        + (maxLine >> 20) + " MiB; not a stack or perf script file");
            }
            System.arraycopy(buf, start, buf, 0, rest);
            len = rest;
        }
    }

    /** The first '\n' in b[from, to), or -1; eight bytes at a time (the "has zero byte" bit trick). */
    static int indexOf(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i) ^ 0x0A0A0A0A0A0A0A0AL;
            long t = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
            if (t != 0) {
                return i + (Long.numberOfTrailingZeros(t) >>> 3); // the lowest flagged byte is exact
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
