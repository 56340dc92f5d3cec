package dev.nodedoctor.sys;

import java.nio.charset.StandardCharsets;

/**
 * A forward-only reader over the bytes of a kernel file. Kernel files are ASCII numbers and names split by
 * spaces and newlines; reading them through this cursor allocates nothing but the strings a record keeps.
 * Not thread-safe; make one per parse.
 */
public final class Cursor {
    private final byte[] data;
    private final int end;
    private int pos;

    public Cursor(byte[] data, int length) {
        this.data = data;
        this.end = length;
    }

    public static Cursor of(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return new Cursor(b, b.length);
    }

    public boolean atEnd() {
        return pos >= end;
    }

    public int position() {
        return pos;
    }

    public void position(int p) {
        pos = Math.min(Math.max(p, 0), end);
    }

    public byte peek() {
        return pos < end ? data[pos] : 0;
    }

    /** Skips spaces and tabs, not newlines. */
    public void skipBlanks() {
        while (pos < end && (data[pos] == ' ' || data[pos] == '\t')) {
            pos++;
        }
    }

    /** True if the rest of the current line is blank. */
    public boolean atLineEnd() {
        skipBlanks();
        return pos >= end || data[pos] == '\n';
    }

    /** Moves past the next newline; false when there is no further line. */
    public boolean nextLine() {
        while (pos < end && data[pos] != '\n') {
            pos++;
        }
        if (pos < end) {
            pos++;
            return pos < end;
        }
        return false;
    }

    /** Whether the text at the cursor (after blanks) starts with {@code prefix}; does not move. */
    public boolean lookingAt(String prefix) {
        int p = pos;
        while (p < end && (data[p] == ' ' || data[p] == '\t')) {
            p++;
        }
        int n = prefix.length();
        if (p + n > end) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (data[p + i] != (byte) prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** If the token at the cursor equals {@code word} (followed by a blank, ':' or line end), skip it. */
    public boolean skipWord(String word) {
        skipBlanks();
        int n = word.length();
        if (pos + n > end) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (data[pos + i] != (byte) word.charAt(i)) {
                return false;
            }
        }
        if (pos + n < end) {
            byte after = data[pos + n];
            if (after != ' ' && after != '\t' && after != '\n' && after != ':' && after != '=') {
                return false;
            }
        }
        pos += n;
        return true;
    }

    /** Skips one token (a run of non-blank characters on this line). */
    public void skipToken() {
        skipBlanks();
        while (pos < end && data[pos] != ' ' && data[pos] != '\t' && data[pos] != '\n') {
            pos++;
        }
    }

    /** The next token as a string, or null at the end of the line. */
    public String token() {
        skipBlanks();
        int start = pos;
        while (pos < end && data[pos] != ' ' && data[pos] != '\t' && data[pos] != '\n') {
            pos++;
        }
        return pos == start ? null : new String(data, start, pos - start, StandardCharsets.UTF_8);
    }

    /** The rest of the current line (without the newline), trimmed of blanks at the start. */
    public String restOfLine() {
        skipBlanks();
        int start = pos;
        while (pos < end && data[pos] != '\n') {
            pos++;
        }
        return new String(data, start, pos - start, StandardCharsets.UTF_8);
    }

    /** Skips to just after the next occurrence of {@code c} on this line; false if the line has none. */
    public boolean skipPast(char c) {
        while (pos < end && data[pos] != '\n') {
            if (data[pos++] == c) {
                return true;
            }
        }
        return false;
    }

    /** Skips to just after the last occurrence of {@code c} in the whole remaining text. */
    public boolean skipPastLast(char c) {
        for (int p = end - 1; p >= pos; p--) {
            if (data[p] == c) {
                pos = p + 1;
                return true;
            }
        }
        return false;
    }

    /** Whether a number (optionally signed) starts at the cursor after blanks. */
    public boolean atNumber() {
        skipBlanks();
        if (pos >= end) {
            return false;
        }
        byte b = data[pos];
        return (b >= '0' && b <= '9') || (b == '-' && pos + 1 < end && data[pos + 1] >= '0' && data[pos + 1] <= '9');
    }

    /**
     * The next decimal integer. The word {@code max} (cgroup v2's "no limit") reads as {@link Long#MAX_VALUE}.
     * Throws if there is no number here, so a malformed file is reported rather than silently read as 0.
     */
    public long nextLong() throws Parser.MalformedException {
        skipBlanks();
        if (skipWord("max")) {
            return Long.MAX_VALUE;
        }
        boolean negative = false;
        if (pos < end && data[pos] == '-') {
            negative = true;
            pos++;
        }
        int start = pos;
        long v = 0;
        while (pos < end) {
            int d = data[pos] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            if (v > (Long.MAX_VALUE - d) / 10) {
                // counters that overflow a signed long (memory.limit_in_bytes on some kernels is
                // 9223372036854771712) are "unlimited" for every purpose here
                v = Long.MAX_VALUE;
                while (pos < end && data[pos] >= '0' && data[pos] <= '9') {
                    pos++;
                }
                break;
            }
            v = v * 10 + d;
            pos++;
        }
        if (pos == start) {
            throw new Parser.MalformedException("expected a number at byte " + pos + " but found " + describeHere());
        }
        // a decimal fraction (PSI's avg10=1.23) is not wanted here; skip it
        return negative ? -v : v;
    }

    /** The next decimal number with a fraction, such as PSI's {@code 12.34}. */
    public double nextDouble() throws Parser.MalformedException {
        skipBlanks();
        int start = pos;
        while (pos < end && (data[pos] == '-' || data[pos] == '.' || data[pos] == '+' || data[pos] == 'e'
                || data[pos] == 'E' || (data[pos] >= '0' && data[pos] <= '9'))) {
            pos++;
        }
        if (pos == start) {
            throw new Parser.MalformedException("expected a decimal number at byte " + pos + " but found " + describeHere());
        }
        try {
            return Double.parseDouble(new String(data, start, pos - start, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new Parser.MalformedException("bad decimal number at byte " + start);
        }
    }

    private String describeHere() {
        if (pos >= end) {
            return "the end of the file";
        }
        int stop = Math.min(end, pos + 20);
        int nl = pos;
        while (nl < stop && data[nl] != '\n') {
            nl++;
        }
        return "'" + new String(data, pos, nl - pos, StandardCharsets.UTF_8) + "'";
    }

    /**
     * Reads flat-keyed files ({@code key value} per line: cpu.stat, memory.stat, /proc/meminfo with
     * {@code key: value kB}) into {@code out}, one slot per wanted key, without allocating. Keys not wanted
     * are skipped; wanted keys absent from the file stay at {@code -1}. Returns how many keys were found.
     */
    public static int keyed(byte[] data, int length, String[] keys, long[] out) throws Parser.MalformedException {
        java.util.Arrays.fill(out, -1L);
        Cursor c = new Cursor(data, length);
        int found = 0;
        while (!c.atEnd()) {
            c.skipBlanks();
            int keyStart = c.pos;
            while (c.pos < c.end && c.data[c.pos] != ' ' && c.data[c.pos] != '\t' && c.data[c.pos] != '\n'
                    && c.data[c.pos] != ':') {
                c.pos++;
            }
            int keyLen = c.pos - keyStart;
            int slot = keyLen == 0 ? -1 : indexOf(keys, data, keyStart, keyLen);
            if (slot >= 0) {
                if (c.pos < c.end && data[c.pos] == ':') {
                    c.pos++;
                }
                out[slot] = c.nextLong();
                found++;
            }
            if (!c.nextLine()) {
                break;
            }
        }
        return found;
    }

    private static int indexOf(String[] keys, byte[] data, int start, int len) {
        outer:
        for (int k = 0; k < keys.length; k++) {
            String key = keys[k];
            if (key.length() != len) {
                continue;
            }
            for (int i = 0; i < len; i++) {
                if (data[start + i] != (byte) key.charAt(i)) {
                    continue outer;
                }
            }
            return k;
        }
        return -1;
    }
}
