package dev.nodedoctor.kernel;

import dev.nodedoctor.kernel.KernelLogLine.Format;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns kernel-log text into {@link KernelLogLine}s, detecting the printer per line, so a file that mixes
 * formats (a kern.log with a pasted dmesg) still parses. Recognised: {@code /dev/kmsg} records with their
 * dictionary lines, {@code dmesg}, {@code dmesg -r}, {@code dmesg -T}, {@code dmesg -t}, syslog / kern.log
 * (with or without host, classic or RFC 3339 time), {@code journalctl -k} in the short, short-iso and
 * short-monotonic forms (with its indented continuation lines), and the {@code [T123]} caller tags of
 * {@code CONFIG_PRINTK_CALLER}. A line it does not know is kept as {@link Format#TEXT}; nothing is an error.
 * <p>
 * Streaming: feed lines with {@link #accept(String)}, then call {@link #finish()}. Detection is hand-written
 * (no regular expression per line) because this runs over whole 100 MB logs.
 */
public final class KernelLogParser {
    private final Consumer<KernelLogLine> sink;
    private final List<String> notes = new ArrayList<>();
    private long lineNumber;
    private long lines;
    /** kmsg records waiting for their dictionary lines. */
    private final List<KernelLogLine> pending = new ArrayList<>();
    private Map<String, String> pendingDict;
    private long lastSequence = -1;
    private long overwritten;
    /** Prefix length of the last syslog/journal line, to join journalctl's indented continuation lines. */
    private KernelLogLine lastPrefixed;
    private int lastPrefixLength;

    public KernelLogParser(Consumer<KernelLogLine> sink) {
        this.sink = sink;
    }

    /** Every line of a text. */
    public static KernelLog parse(String text) {
        try {
            return parse(new BufferedReader(new StringReader(text)));
        } catch (IOException e) {
            throw new IllegalStateException(e); // a StringReader does not fail
        }
    }

    /** Every line of some bytes (UTF-8, bad bytes replaced); fits {@code dev.nodedoctor.sys.Parser}. */
    public static KernelLog parse(byte[] data, int length) {
        return parse(new String(data, 0, length, StandardCharsets.UTF_8));
    }

    public static KernelLog parse(BufferedReader in) throws IOException {
        List<KernelLogLine> out = new ArrayList<>();
        KernelLogParser p = new KernelLogParser(out::add);
        for (String s; (s = in.readLine()) != null; ) {
            p.accept(s);
        }
        p.finish();
        return new KernelLog(out, p.notes());
    }

    /** Remarks about the input as a whole (records lost to ring overwrites). */
    public List<String> notes() {
        List<String> all = new ArrayList<>(notes);
        if (overwritten > 0) {
            all.add(0, overwritten + " kmsg record(s) were overwritten in the ring before they could be read"
                    + " (gaps in the sequence numbers)");
        }
        return all;
    }

    /** Input lines seen so far. */
    public long lines() {
        return lines;
    }

    public void accept(String raw) {
        lineNumber++;
        lines++;
        String s = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
        if (!pending.isEmpty()) {
            if (isDictionaryLine(s)) {
                int eq = s.indexOf('=');
                if (pendingDict == null) {
                    pendingDict = new LinkedHashMap<>();
                }
                pendingDict.put(s.substring(1, eq), s.substring(eq + 1));
                return;
            }
            flushPending();
        }
        if (lastPrefixed != null && lastPrefixLength > 0 && s.length() > lastPrefixLength
                && isBlank(s, lastPrefixLength)) {
            // journalctl and dmesg print the later lines of a multi-line record indented under its first
            emit(copy(lastPrefixed, lineNumber, s.substring(lastPrefixLength)));
            return;
        }
        lastPrefixed = null;
        if (s.isEmpty()) {
            emit(text(s));
            return;
        }
        char c = s.charAt(0);
        if (c >= '0' && c <= '9') {
            if (kmsg(s) || iso(s)) {
                return;
            }
        } else if (c == '[') {
            if (bracket(s, 0, null)) {
                return;
            }
        } else if (c == '<') {
            if (raw(s)) {
                return;
            }
        } else if (c >= 'A' && c <= 'S') {
            if (syslog(s)) {
                return;
            }
        }
        emit(text(s));
    }

    /** Ends the input: emits a kmsg record still waiting for dictionary lines. */
    public void finish() {
        flushPending();
        lastPrefixed = null;
    }

    // ---- kmsg: "pri,seq,usec,flags[,more];text" --------------------------------------------------------------

    private boolean kmsg(String s) {
        int[] pos = {0};
        long pri = number(s, pos);
        if (pri < 0 || !expect(s, pos, ',')) {
            return false;
        }
        long seq = number(s, pos);
        if (seq < 0 || !expect(s, pos, ',')) {
            return false;
        }
        long usec = number(s, pos);
        if (usec < 0 || !expect(s, pos, ',')) {
            return false;
        }
        int semi = s.indexOf(';', pos[0]);
        if (semi < 0) {
            return false;
        }
        String caller = null;
        String fields = s.substring(pos[0], semi);
        int ci = fields.indexOf("caller=");
        if (ci >= 0) {
            int end = fields.indexOf(',', ci);
            caller = fields.substring(ci + 7, end < 0 ? fields.length() : end);
        }
        if (lastSequence >= 0 && seq > lastSequence + 1) {
            overwritten += seq - lastSequence - 1;
        }
        lastSequence = seq;
        String text = unescape(s.substring(semi + 1));
        Double uptime = usec / 1_000_000.0;
        int level = (int) (pri & 7);
        int facility = (int) (pri >> 3);
        // a record may hold several lines (\x0a in kmsg); dmesg prints each with the record's time
        int from = 0;
        for (int nl; (nl = text.indexOf('\n', from)) >= 0; from = nl + 1) {
            pending.add(new KernelLogLine(lineNumber, Format.KMSG, uptime, null, null, null, level, facility, seq,
                    caller, text.substring(from, nl), null));
        }
        pending.add(new KernelLogLine(lineNumber, Format.KMSG, uptime, null, null, null, level, facility, seq,
                caller, text.substring(from), null));
        pendingDict = null;
        return true;
    }

    private static boolean isDictionaryLine(String s) {
        if (s.length() < 3 || s.charAt(0) != ' ') {
            return false;
        }
        int eq = s.indexOf('=');
        if (eq < 2) {
            return false;
        }
        for (int i = 1; i < eq; i++) {
            char c = s.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') && c != '_') {
                return false;
            }
        }
        return true;
    }

    private void flushPending() {
        if (pending.isEmpty()) {
            return;
        }
        Map<String, String> dict = pendingDict == null ? Map.of() : Map.copyOf(pendingDict);
        for (KernelLogLine l : pending) {
            sink.accept(dict.isEmpty() ? l : l.withDictionary(dict));
        }
        pending.clear();
        pendingDict = null;
    }

    /** kmsg escapes bytes below 0x20, 0x7f and above, and the backslash as \xNN; those bytes are UTF-8. */
    static String unescape(String t) {
        if (t.indexOf("\\x") < 0) {
            return t;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(t.length());
        byte[] b = t.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\\' && i + 3 < b.length + 0 && b[i + 1] == 'x' && hex(b[i + 2]) >= 0 && hex(b[i + 3]) >= 0) {
                out.write(hex(b[i + 2]) * 16 + hex(b[i + 3]));
                i += 3;
            } else {
                out.write(b[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    // ---- dmesg: "[  123.456789] text", "[Thu Nov 26 03:00:00 2026] text", short-monotonic ---------------------

    /** Parses "[...]" at {@code at}; {@code level} comes from a "<N>" prefix (dmesg -r). */
    private boolean bracket(String s, int at, Integer level) {
        int close = s.indexOf(']', at);
        if (close < 0) {
            return false;
        }
        int a = at + 1;
        while (a < close && s.charAt(a) == ' ') {
            a++;
        }
        if (a == close) {
            return false;
        }
        String[] callerOut = {null};
        char first = s.charAt(a);
        if (first >= '0' && first <= '9') {
            double uptime = seconds(s, a, close);
            if (Double.isNaN(uptime)) {
                return false;
            }
            int rest = afterCaller(s, close + 1, callerOut);
            // journalctl -o short-monotonic: "[  123.456789] host kernel: text"
            int sp = s.indexOf(' ', rest);
            if (level == null && sp > rest && s.startsWith("kernel: ", sp + 1) && s.charAt(rest) != ' ') {
                String host = s.substring(rest, sp);
                int textAt = sp + 1 + 8;
                KernelLogLine l = new KernelLogLine(lineNumber, Format.JOURNAL_MONOTONIC, uptime, null, host, "kernel",
                        null, null, null, callerOut[0], s.substring(textAt), null);
                emit(l);
                lastPrefixed = l;
                lastPrefixLength = textAt;
                return true;
            }
            KernelLogLine l = new KernelLogLine(lineNumber, Format.DMESG, uptime, null, null, null, level, null, null,
                    callerOut[0], s.substring(rest), null);
            emit(l);
            // dmesg indents the later lines of a multi-line record under the first one's text
            lastPrefixed = l;
            lastPrefixLength = rest;
            return true;
        }
        if (Character.isLetter(first) && close - a >= 20) {
            int rest = afterCaller(s, close + 1, callerOut);
            KernelLogLine l = new KernelLogLine(lineNumber, Format.DMESG_CTIME, null, s.substring(a, close), null, null,
                    level, null, null, callerOut[0], s.substring(rest), null);
            emit(l);
            lastPrefixed = l;
            lastPrefixLength = rest;
            return true;
        }
        return false;
    }

    /** Skips the one space after "]" and a "[T123]" / "[ C1]" caller tag; returns where the text starts. */
    private static int afterCaller(String s, int p, String[] caller) {
        int q = p;
        if (q < s.length() && s.charAt(q) == ' ' && q + 1 < s.length() && s.charAt(q + 1) == '[') {
            q++;
        }
        if (q < s.length() && s.charAt(q) == '[') {
            int close = s.indexOf(']', q);
            int a = q + 1;
            while (a < close && s.charAt(a) == ' ') {
                a++;
            }
            // "[T123]" / "[  C1]": a letter T or C and digits, nothing else
            if (close > a + 1 && (s.charAt(a) == 'T' || s.charAt(a) == 'C') && allDigits(s, a + 1, close)) {
                caller[0] = s.substring(a, close);
                p = close + 1;
            }
        }
        if (p < s.length() && s.charAt(p) == ' ') {
            p++;
        }
        return p;
    }

    /** dmesg -r: "<6>[    1.234] text" or "<6>text". */
    private boolean raw(String s) {
        int close = s.indexOf('>');
        if (close < 2 || close > 5 || !digits(s.substring(1, close), 0)) {
            return false;
        }
        int pri = Integer.parseInt(s.substring(1, close));
        if (close + 1 < s.length() && s.charAt(close + 1) == '[' && bracket(s, close + 1, pri & 7)) {
            return true;
        }
        emit(new KernelLogLine(lineNumber, Format.DMESG, null, null, null, null, pri & 7, null, null, null,
                s.substring(close + 1), null));
        return true;
    }

    // ---- syslog and journalctl short: "Nov 26 03:00:00 host kernel: [ 1.2] text" -------------------------------

    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    private boolean syslog(String s) {
        if (s.length() < 17 || s.charAt(3) != ' ' || s.charAt(6) != ' ' || s.charAt(9) != ':' || s.charAt(12) != ':'
                || s.charAt(15) != ' ') {
            return false;
        }
        int m = MONTHS.indexOf(s.substring(0, 3));
        if (m < 0 || m % 3 != 0) {
            return false;
        }
        return tagged(s, s.substring(0, 15), 16);
    }

    /** RFC 3339 syslog (rsyslog) or journalctl -o short-iso: "2026-05-28T12:21:57.303295+00:00 host kernel: text". */
    private boolean iso(String s) {
        if (s.length() < 21 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':') {
            return false;
        }
        int sp = s.indexOf(' ');
        if (sp < 0) {
            return false;
        }
        return tagged(s, s.substring(0, sp), sp + 1);
    }

    /** After the time: "[host] tag: text"; the tag is "kernel" for kernel lines. */
    private boolean tagged(String s, String wallClock, int p) {
        int sp = s.indexOf(' ', p);
        if (sp < 0) {
            return false;
        }
        String host = null;
        String tag;
        int textAt;
        if (sp > p && s.charAt(sp - 1) == ':') {
            tag = s.substring(p, sp - 1); // no host: "Jan  5 15:19:27 kernel: ..."
            textAt = sp + 1;
        } else {
            int sp2 = s.indexOf(' ', sp + 1);
            int end = sp2 < 0 ? s.length() : sp2;
            if (end - 1 <= sp + 1 || s.charAt(end - 1) != ':') {
                return false;
            }
            host = s.substring(p, sp);
            tag = s.substring(sp + 1, end - 1);
            textAt = Math.min(end + 1, s.length());
        }
        int prefix = textAt;
        Double uptime = null;
        String caller = null;
        boolean kernel = tag.equals("kernel");
        if (kernel && textAt < s.length() && s.charAt(textAt) == '[') {
            int close = s.indexOf(']', textAt);
            if (close > 0) {
                int a = textAt + 1;
                while (a < close && s.charAt(a) == ' ') {
                    a++;
                }
                double up = seconds(s, a, close);
                if (!Double.isNaN(up)) {
                    uptime = up;
                    String[] c = {null};
                    textAt = afterCaller(s, close + 1, c);
                    caller = c[0];
                }
            }
        }
        KernelLogLine l = new KernelLogLine(lineNumber, Format.SYSLOG, uptime, wallClock, host, tag, null, null, null,
                caller, s.substring(Math.min(textAt, s.length())), null);
        emit(l);
        lastPrefixed = l;
        lastPrefixLength = prefix;
        return true;
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private KernelLogLine text(String s) {
        return new KernelLogLine(lineNumber, Format.TEXT, null, null, null, null, null, null, null, null, s, null);
    }

    private static KernelLogLine copy(KernelLogLine l, long line, String text) {
        return new KernelLogLine(line, l.format(), l.uptimeSeconds(), l.wallClock(), l.host(), l.program(), l.level(),
                l.facility(), l.sequence(), l.caller(), text, null);
    }

    private void emit(KernelLogLine l) {
        sink.accept(l);
    }

    private static boolean isBlank(String s, int n) {
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) != ' ') {
                return false;
            }
        }
        return true;
    }

    private static boolean allDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean digits(String s, int from) {
        if (s.length() <= from) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static long number(String s, int[] pos) {
        int p = pos[0];
        long v = 0;
        int start = p;
        while (p < s.length() && p - start < 19) {
            char c = s.charAt(p);
            if (c < '0' || c > '9') {
                break;
            }
            v = v * 10 + (c - '0');
            p++;
        }
        if (p == start) {
            return -1;
        }
        pos[0] = p;
        return v;
    }

    private static boolean expect(String s, int[] pos, char c) {
        if (pos[0] < s.length() && s.charAt(pos[0]) == c) {
            pos[0]++;
            return true;
        }
        return false;
    }

    /** "123.456789" between a and end as seconds, NaN if it is not such a number. */
    private static double seconds(String s, int a, int end) {
        long whole = 0;
        long frac = 0;
        long scale = 1;
        boolean dot = false;
        int n = 0;
        for (int i = a; i < end; i++) {
            char c = s.charAt(i);
            if (c == '.' && !dot) {
                dot = true;
            } else if (c >= '0' && c <= '9') {
                if (++n > 18) {
                    return Double.NaN;
                }
                if (dot) {
                    frac = frac * 10 + (c - '0');
                    scale *= 10;
                } else {
                    whole = whole * 10 + (c - '0');
                }
            } else {
                return Double.NaN;
            }
        }
        // a dot is required: "[    266]" is an OOM task-table row of a log without timestamps, not a time
        return n == 0 || !dot ? Double.NaN : whole + (double) frac / scale;
    }
}
