package dev.nodedoctor.profile;

import dev.nodedoctor.bytes.Words;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Hands out the lines of a stream as byte ranges of one large buffer, split on '\n' only (as Perl's {@code <>}):
 * no String and no copy per line, so parsers can look at bytes and build objects only for what they keep. The
 * buffer holds one block (1 MiB) plus the line cut at its end; a line longer than {@code maxLine} bytes is refused
 * instead of growing the buffer without bound. A last line without '\n' is still a line.
 *
 * <p>Each line comes with its {@link StackTable#hash}: the search for '\n' reads every line eight bytes at a time
 * from its start, which are the very words the hash mixes, so hashing there is nearly free where hashing again in
 * the parser was a second pass over every byte (a quarter of collapse's time on a 400 MB perf script).
 */
final class ByteLines {
    /** Receives one line: {@code buf[start, end)} without its '\n', and its hash. Valid only during the call. */
    @FunctionalInterface
    interface Sink {
        void line(byte[] buf, int start, int end, int hash) throws ProfileFormatException;
    }

    static final int BLOCK = 1 << 20;
    /** Longest line accepted (16 MiB): a line longer than this is corrupt input, not a stack. */
    static final int DEFAULT_MAX_LINE = 16 << 20;

    private ByteLines() {
    }

    /** Feeds every line of {@code in} to {@code sink}; returns the number of lines. */
    static long forEach(InputStream in, String what, int maxLine, Sink sink) throws IOException, ProfileFormatException {
        byte[] buf = new byte[BLOCK + 1024];
        int len = 0;     // bytes held in buf[0, len)
        int pos = 0;     // buf[0, pos) of the current line (which starts at 0 here) is hashed, in whole words
        long h = StackTable.SEED;
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
                    sink.line(buf, 0, len, StackTable.finish(h, Words.tail(buf, pos, len), len));
                }
                return lines;
            }
            len += n;
            int start = 0;
            while (true) {
                int nl;
                long tail;
                if (pos + 8 <= len) {
                    long w = Words.at(buf, pos);
                    long t = Words.zeroBytes(w ^ Words.NEWLINES);
                    if (t == 0) {
                        h = StackTable.mix(h, w);
                        pos += 8;
                        continue;
                    }
                    int k = Words.lowestFlagged(t);
                    nl = pos + k;
                    tail = k == 0 ? 0 : w & (-1L >>> (64 - 8 * k));
                } else {
                    nl = Words.newline(buf, pos, len);
                    if (nl < 0) {
                        break; // the rest of the buffer is the start of a line: read more
                    }
                    tail = Words.tail(buf, pos, nl);
                }
                lines++;
                sink.line(buf, start, nl, StackTable.finish(h, tail, nl - start));
                start = nl + 1;
                pos = start;
                h = StackTable.SEED;
            }
            int rest = len - start;
            if (rest > maxLine) {
                throw new LongLineException(what, lines + 1, maxLine);
            }
            System.arraycopy(buf, start, buf, 0, rest);
            len = rest;
            pos -= start;
        }
    }

    /** A line longer than the limit; its number can be moved on when the stream was a part of a file. */
    static final class LongLineException extends ProfileFormatException {
        private final String what;
        private final long line;
        private final int maxLine;

        LongLineException(String what, long line, int maxLine) {
            super(what + ": line " + line + " is longer than " + (maxLine >> 20) + " MiB; not a stack or perf script file");
            this.what = what;
            this.line = line;
            this.maxLine = maxLine;
        }

        /** The same error, numbered in a file that had {@code linesBefore} lines before this part. */
        LongLineException after(long linesBefore) {
            return new LongLineException(what, linesBefore + line, maxLine);
        }
    }
}
