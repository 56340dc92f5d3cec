package dev.nodedoctor.profile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns {@code perf script} output into folded stacks with the rules of stackcollapse-perf.pl (FlameGraph,
 * commit 41fee1f): a record line names the command (and pid/tid) and the event with its period, the indented
 * lines under it are frames leaf first, a blank line ends the sample; only the first event type seen is kept
 * unless one is chosen; each stack is weighted by its period; function names are tidied (arguments and quotes
 * dropped, ';' → ':', Java 'L' prefixes removed), unknown symbols named after their module, inlined frames
 * ("a->b") split, and kernel / JIT frames optionally annotated {@code _[k]} / {@code _[j]}.
 * Not supported: the script's --inline, --context and --srcline (they run addr2line or need -F+srcline).
 */
public final class PerfCollapse {
    /** The script's options: --pid, --tid, --kernel, --jit (--all is both), --addrs, --event-filter. */
    public record Options(boolean pid, boolean tid, boolean kernel, boolean jit, boolean addrs, String eventFilter) {
        public static Options defaults() {
            return new Options(false, false, false, false, false, null);
        }
    }

    // The script's regular expressions, with UNIX_LINES so that only '\n' ends a line, as in Perl.
    private static final Pattern RECORD = Pattern.compile("^(\\S.+?)\\s+(\\d+)/*(\\d+)*\\s+", Pattern.UNIX_LINES);
    private static final Pattern EVENT = Pattern.compile(":\\s*(\\d+)*\\s+(\\S+):\\s*$", Pattern.UNIX_LINES);
    private static final Pattern FRAME = Pattern.compile("^\\s*(\\w+)\\s*(.+) \\((.*)\\)", Pattern.UNIX_LINES);
    private static final Pattern OFFSET = Pattern.compile("\\+0x[\\da-f]+$", Pattern.UNIX_LINES);
    private static final Pattern JIT_MOD = Pattern.compile("/tmp/perf-\\d+\\.map", Pattern.UNIX_LINES);

    /** frame()'s answer for a line the frame regex does not match (compared by identity). */
    private static final String UNRECOGNISED = new String("unrecognised");
    private static final byte[] UNRECOGNISED_BYTES = new byte[0];
    private static final byte[] SKIP = new byte[0];
    /** Bytes of distinct frame lines kept parsed (both caches) before they start afresh: bounded memory. */
    static final int FRAME_CACHE_BYTES = 8 << 20;

    private final Options options;
    private final Consumer<String> warn;
    private final StackTable stacks = new StackTable();
    private long[] counts = new long[1 << 10];
    private StackTable javaFrames = new StackTable();
    private StackTable otherFrames = new StackTable();
    private byte[][] javaNames = new byte[1 << 10][];
    private byte[][] otherNames = new byte[1 << 10][];
    private byte[][] frames = new byte[64][];
    private int depth;
    private byte[] key = new byte[1 << 12];
    private byte[] pnameBytes;
    private boolean pnameIsJava;
    private String pname;
    private long period;
    private String eventFilter;
    private boolean eventDefaulted;
    private boolean eventWarned;
    private long unrecognised;

    private PerfCollapse(Options options, Consumer<String> warn) {
        this.options = options;
        this.warn = warn;
        this.eventFilter = options.eventFilter() == null ? "" : options.eventFilter();
    }

    /** Collapses a whole perf script stream; warnings (unrecognised lines, event filtering) go to {@code warn}. */
    public static FoldedStacks collapse(InputStream in, String what, Options options, Consumer<String> warn)
            throws IOException, ProfileFormatException {
        PerfCollapse c = new PerfCollapse(options, warn);
        ByteLines.forEach(in, what, ByteLines.DEFAULT_MAX_LINE, c::line);
        if (c.unrecognised > 20) {
            warn.accept("... " + (c.unrecognised - 20) + " more unrecognized lines");
        }
        FoldedStacks out = new FoldedStacks();
        byte[] arena = c.stacks.arena();
        for (int e = 0; e < c.stacks.size(); e++) {
            out.add(new String(arena, c.stacks.start(e), c.stacks.length(e), StandardCharsets.ISO_8859_1), c.counts[e]);
        }
        return out;
    }

    /**
     * One line as bytes. Frame lines (indented) repeat a lot — the same function at the same address in many
     * samples — so each distinct line is parsed once (by {@link #frame(String)}, the script's rules) and its
     * folded name looked up by the line's bytes after that; the sample's stack is assembled as bytes and summed
     * by its bytes. Record lines, comments and odd lines take the string path as before.
     */
    private void line(byte[] b, int start, int end) throws ProfileFormatException {
        if (start == end) {
            endSample();
            return;
        }
        byte first = b[start];
        if (first == '#') {
            return;
        }
        if (!isSpace((char) first)) {
            line(new String(b, start, end - start, StandardCharsets.ISO_8859_1));
            return;
        }
        if (pname == null) {
            return;
        }
        StackTable cache = pnameIsJava ? javaFrames : otherFrames;
        int e = cache.entry(b, start, end);
        byte[][] names = pnameIsJava ? javaNames : otherNames;
        if (e == names.length) {
            names = Arrays.copyOf(names, e * 2);
            if (pnameIsJava) {
                javaNames = names;
            } else {
                otherNames = names;
            }
        }
        byte[] name = names[e];
        if (name == null) {
            String group = frame(new String(b, start, end - start, StandardCharsets.ISO_8859_1));
            name = group == null ? SKIP : group == UNRECOGNISED ? UNRECOGNISED_BYTES
                    : group.getBytes(StandardCharsets.ISO_8859_1);
            names[e] = name;
        } else if (name == UNRECOGNISED_BYTES) {
            unrecognised(new String(b, start, end - start, StandardCharsets.ISO_8859_1));
        }
        if (name != SKIP && name != UNRECOGNISED_BYTES) {
            push(name);
        }
        if (javaFrames.bytes() + otherFrames.bytes() > FRAME_CACHE_BYTES) {
            // bounded memory on inputs with endless distinct frames: start the cache afresh
            javaFrames = new StackTable();
            otherFrames = new StackTable();
            javaNames = new byte[1 << 10][];
            otherNames = new byte[1 << 10][];
        }
    }

    private void push(byte[] name) {
        if (depth == frames.length) {
            frames = Arrays.copyOf(frames, depth * 2);
        }
        frames[depth++] = name;
    }

    /** The blank line after a sample: its stack, root first, summed by its bytes. */
    private void endSample() throws ProfileFormatException {
        if (pname == null) {
            return;
        }
        int len = pnameBytes.length;
        for (int i = 0; i < depth; i++) {
            len += 1 + frames[i].length;
        }
        if (len > key.length) {
            key = new byte[Math.max(len, key.length * 2)];
        }
        System.arraycopy(pnameBytes, 0, key, 0, pnameBytes.length);
        int at = pnameBytes.length;
        for (int i = depth - 1; i >= 0; i--) {
            key[at++] = ';';
            System.arraycopy(frames[i], 0, key, at, frames[i].length);
            at += frames[i].length;
        }
        int e = stacks.entry(key, 0, at);
        if (e == counts.length) {
            counts = Arrays.copyOf(counts, e * 2);
        }
        try {
            counts[e] = Math.addExact(counts[e], period);
        } catch (ArithmeticException x) {
            throw new ProfileFormatException("sample counts add up to more than 2^63; the input's counts are corrupt");
        }
        depth = 0;
        pname = null;
    }

    /** A line that is not indented (nor empty, nor a comment): a record line, else a frame for the regex. */
    private void line(String line) throws ProfileFormatException {
        Matcher m = RECORD.matcher(line);
        if (m.find()) {
            record(line, m);
            return;
        }
        if (pname == null) {
            return;
        }
        String group = frame(line);
        if (group == UNRECOGNISED) {
            return;
        }
        if (group != null) {
            push(group.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    private void record(String line, Matcher m) throws ProfileFormatException {
        String comm = m.group(1);
        String pid = m.group(2);
        String tid = m.group(3);
        if (tid == null || tid.equals("0")) { // Perl: "not $tid"
            tid = pid;
            pid = "?";
        }
        String p = "";
        Matcher e = EVENT.matcher(line);
        if (e.find()) {
            p = e.group(1) == null ? "" : e.group(1);
            String event = e.group(2);
            if (eventFilter.isEmpty()) {
                eventFilter = event;
                eventDefaulted = true;
            } else if (!event.equals(eventFilter)) {
                if (eventDefaulted && !eventWarned) {
                    warn.accept("Filtering for events of type: " + event);
                    eventWarned = true;
                }
                return;
            }
        }
        period = p.isEmpty() || isZero(p) ? 1 : parsePeriod(p);
        String name;
        if (options.tid()) {
            name = comm + "-" + pid + "/" + tid;
        } else if (options.pid()) {
            name = comm + "-" + pid;
        } else {
            name = comm;
        }
        pname = name.replace(' ', '_');
        pnameBytes = pname.getBytes(StandardCharsets.ISO_8859_1);
        pnameIsJava = pname.startsWith("java");
    }

    /** Perl's "not $period" is true for "0" only among digit strings (and "" handled above). */
    private static boolean isZero(String digits) {
        return digits.equals("0");
    }

    private static long parsePeriod(String digits) throws ProfileFormatException {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new ProfileFormatException("period " + digits + " does not fit 64 bits");
        }
    }

    /**
     * The folded name(s) of one frame line — inlined frames joined with ';' — or null when the script skips the
     * line, or {@link #UNRECOGNISED} (warned about). Depends only on the line, the options and whether the
     * process name starts with "java" (Java's 'L' prefixes), which is what the frame caches are keyed by.
     */
    private String frame(String line) {
        String pc;
        String rawfunc;
        String mod;
        int[] fast = fastFrame(line);
        if (fast != null) {
            pc = line.substring(fast[0], fast[1]);
            rawfunc = line.substring(fast[2], fast[3]);
            mod = line.substring(fast[3] + 2, fast[4]);
        } else {
            Matcher m = FRAME.matcher(line);
            if (!m.find()) {
                unrecognised(line);
                return UNRECOGNISED;
            }
            pc = m.group(1);
            rawfunc = m.group(2);
            mod = m.group(3);
        }
        rawfunc = stripOffset(rawfunc);
        if (rawfunc.startsWith("(")) {
            return null;
        }
        String[] parts = splitArrows(rawfunc);
        int n = parts.length;
        while (n > 0 && parts[n - 1].isEmpty()) { // Perl's split drops trailing empty fields
            n--;
        }
        StringBuilder group = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String func = parts[i];
            if (func.equals("[unknown]")) {
                if (!mod.equals("[unknown]")) {
                    func = mod.substring(mod.lastIndexOf('/') + 1);
                } else {
                    func = "unknown";
                }
                func = options.addrs() ? "[" + func + " <" + pc + ">]" : "[" + func + "]";
            }
            func = tidy(func);
            if (i > 0) {
                if (!func.contains("_[i]")) {
                    func += "_[i]";
                }
            } else if (options.kernel() && (mod.startsWith("[") || mod.endsWith("vmlinux")) && !mod.contains("unknown")) {
                func += "_[k]";
            } else if (options.jit() && JIT_MOD.matcher(mod).find()) {
                if (!func.contains("_[j]")) {
                    func += "_[j]";
                }
            }
            if (i > 0) {
                group.append(';');
            }
            group.append(func);
        }
        return n > 0 ? group.toString() : null;
    }

    private void unrecognised(String line) {
        unrecognised++;
        if (unrecognised <= 20) {
            warn.accept("Unrecognized line: " + line);
        }
    }

    private String tidy(String func) {
        String f = func.indexOf(';') >= 0 ? func.replace(';', ':') : func;
        if (f.indexOf('(') >= 0 && !looksLikeGoMethod(f)) {
            f = cutArguments(f);
        }
        if (f.indexOf('"') >= 0 || f.indexOf('\'') >= 0) {
            f = f.replace("\"", "").replace("'", "");
        }
        if (pnameIsJava && f.startsWith("L") && f.indexOf('/') >= 0) {
            f = f.substring(1);
        }
        return f;
    }

    /** {@code split /->/}: the parts between "->" (trailing empty parts are dropped by the caller). */
    private static String[] splitArrows(String s) {
        int i = s.indexOf("->");
        if (i < 0) {
            return new String[] {s};
        }
        List<String> parts = new ArrayList<>(4);
        int start = 0;
        while (i >= 0) {
            parts.add(s.substring(start, i));
            start = i + 2;
            i = s.indexOf("->", start);
        }
        parts.add(s.substring(start));
        return parts.toArray(new String[0]);
    }

    /** {@code m/\.\(.*\)\./}: a ".(" with a ")." starting at least two chars later (Go methods). */
    private static boolean looksLikeGoMethod(String f) {
        int open = f.indexOf(".(");
        return open >= 0 && f.lastIndexOf(").") >= open + 2;
    }

    /** The script's argument stripping: cut at the first '(' that does not open "(anonymous namespace)". */
    private static String cutArguments(String f) {
        int i = f.indexOf('(');
        while (i >= 0) {
            if (!f.startsWith("anonymous namespace)", i + 1)) {
                return f.substring(0, i);
            }
            i = f.indexOf('(', i + 1);
        }
        return f;
    }

    /** {@code s/\+0x[\da-f]+$//} without a regex on the common path. */
    private static String stripOffset(String f) {
        int plus = f.lastIndexOf("+0x");
        if (plus < 0 || plus + 3 == f.length()) {
            return f;
        }
        for (int i = plus + 3; i < f.length(); i++) {
            char c = f.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return OFFSET.matcher(f).replaceFirst("");
            }
        }
        return f.substring(0, plus);
    }

    /**
     * The frame regex {@code ^\s*(\w+)\s*(.+) \((.*)\)} for the usual shape — blanks, a word, blanks, then a
     * rest holding " (" with a ')' after it — where the greedy regex takes the longest word, the last such
     * " (" and the last ')'. Returns {pcStart, pcEnd, funcStart, funcEnd (the " (" index), modEnd} or null
     * when the line is not of that shape (the regex then decides).
     */
    private static int[] fastFrame(String line) {
        int len = line.length();
        int i = 0;
        while (i < len && isSpace(line.charAt(i))) {
            i++;
        }
        int pcStart = i;
        while (i < len && isWord(line.charAt(i))) {
            i++;
        }
        int pcEnd = i;
        if (pcEnd == pcStart) {
            return null;
        }
        while (i < len && isSpace(line.charAt(i))) {
            i++;
        }
        if (i == pcEnd) {
            return null; // no blank after the word: leave the backtracking cases to the regex
        }
        int funcStart = i;
        int close = line.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        int open = line.lastIndexOf(" (", close - 2);
        if (open < funcStart + 1) {
            return null;
        }
        return new int[] {pcStart, pcEnd, funcStart, open, close};
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    private static boolean isWord(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
}
