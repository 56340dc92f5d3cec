package dev.nodedoctor.profile;

import dev.nodedoctor.bytes.Words;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

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

    /** What the frame-line caches hold besides name id + 1: not parsed yet, skipped, unrecognised. */
    private static final int UNPARSED = 0;
    private static final int SKIP = -1;
    private static final int UNRECOGNISED_LINE = -2;
    /** Bytes of distinct frame lines kept parsed (both caches) before they start afresh: bounded memory. */
    static final int FRAME_CACHE_BYTES = 8 << 20;

    private final Options options;
    private final CollapseNotes notes;
    private final PerfFrameLine frameRules;
    /** Distinct folded names (process names and frames), numbered: a stack is the sequence of its numbers. */
    private final StackTable names = new StackTable();
    private final IntSequenceTable stacks = new IntSequenceTable();
    private long[] counts = new long[1 << 10];
    private StackTable javaFrames = new StackTable();
    private StackTable otherFrames = new StackTable();
    private int[] javaIds = new int[1 << 10];
    private int[] otherIds = new int[1 << 10];
    /** The sample's frames as name numbers, leaf first (as perf prints them). */
    private int[] frames = new int[64];
    private int depth;
    /** The stack being summed: process name, then frames root first. */
    private int[] key = new int[65];
    private int pnameId;
    private boolean pnameIsJava;
    private String pname;
    private long period;
    private String eventFilter;
    private boolean eventDefaulted;
    private boolean eventWarned;

    /** A parser for one stream, or for one part of a file that starts at a sample's start. */
    PerfCollapse(Options options, CollapseNotes notes) {
        this.options = options;
        this.notes = notes;
        this.frameRules = new PerfFrameLine(options);
        this.eventFilter = options.eventFilter() == null ? "" : options.eventFilter();
    }

    /**
     * Collapses a whole perf script stream (see {@link ParallelCollapse} for a large file); warnings (unrecognised
     * lines, event filtering) go to {@code warn}.
     */
    public static FoldedStacks collapse(InputStream in, String what, Options options, Consumer<String> warn)
            throws IOException, ProfileFormatException {
        CollapseNotes.Shown notes = new CollapseNotes.Shown(warn);
        PerfCollapse c = new PerfCollapse(options, notes);
        c.parse(in, what);
        notes.finish();
        FoldedStacks out = new FoldedStacks();
        c.addTo(out);
        return out;
    }

    /** Parses the lines of {@code in}, adding to the sums; returns the number of lines. */
    long parse(InputStream in, String what) throws IOException, ProfileFormatException {
        return ByteLines.forEach(in, what, ByteLines.DEFAULT_MAX_LINE, this::line);
    }

    /**
     * For a part of a file after its start: the event type the script kept by default, found earlier in the
     * file (samples of other types are dropped, with the filtering note).
     */
    void assumeDefaultEvent(String event) {
        if (options.eventFilter() == null) {
            eventFilter = event;
            eventDefaulted = true;
        }
    }

    /** The event type kept: chosen, assumed, or the first one seen; "" while none is known. */
    String event() {
        return eventFilter;
    }

    /**
     * The first event type named by a record line in {@code b[0, len)}, or null: what the script would keep by
     * default, when it is in this head of the file.
     */
    static String firstEvent(byte[] b, int len) {
        for (int start = 0, nl = Words.newline(b, 0, len); nl >= 0; start = nl + 1, nl = Words.newline(b, start, len)) {
            if (nl == start || b[start] == '#' || PerfRecordLine.isSpace((char) b[start])) {
                continue;
            }
            String line = new String(b, start, nl - start, StandardCharsets.ISO_8859_1);
            if (PerfRecordLine.record(line) != null) {
                PerfRecordLine.Event e = PerfRecordLine.event(line);
                if (e != null) {
                    return e.event();
                }
            }
        }
        return null;
    }

    /**
     * Adds the summed stacks, as text, to {@code out}. Two different number sequences can spell the same text
     * (an inlined pair "a;b_[i]" is one name, and a process name may hold ';'), and the script sums by text: so
     * does {@link FoldedStacks#add}.
     */
    void addTo(FoldedStacks out) throws ProfileFormatException {
        byte[] text = names.arena();
        int[] seqs = stacks.arena();
        byte[] line = new byte[1 << 12];
        for (int e = 0; e < stacks.size(); e++) {
            int from = stacks.start(e);
            int to = from + stacks.length(e);
            int len = 0;
            for (int i = from; i < to; i++) {
                int name = seqs[i];
                int n = names.length(name);
                if (len + n + 1 > line.length) {
                    line = Arrays.copyOf(line, Math.max(line.length * 2, len + n + 1));
                }
                if (i > from) {
                    line[len++] = ';';
                }
                System.arraycopy(text, names.start(name), line, len, n);
                len += n;
            }
            out.add(line, 0, len, counts[e]);
        }
    }

    /**
     * One line as bytes. Frame lines (indented) repeat a lot — the same function at the same address in many
     * samples — so each distinct line is parsed once (by {@link PerfFrameLine}, the script's rules) and its
     * folded name's number looked up by the line's bytes after that; the sample's stack is summed as the
     * sequence of those numbers. Record lines, comments and odd lines take the string path.
     */
    private void line(byte[] b, int start, int end, int hash) throws ProfileFormatException {
        if (start == end) {
            endSample();
            return;
        }
        byte first = b[start];
        if (first == '#') {
            return;
        }
        if (!PerfRecordLine.isSpace((char) first)) {
            line(new String(b, start, end - start, StandardCharsets.ISO_8859_1));
            return;
        }
        if (pname == null) {
            return;
        }
        StackTable cache = pnameIsJava ? javaFrames : otherFrames;
        int e = cache.entry(b, start, end, hash);
        int[] ids = pnameIsJava ? javaIds : otherIds;
        if (e == ids.length) {
            ids = Arrays.copyOf(ids, e * 2);
            if (pnameIsJava) {
                javaIds = ids;
            } else {
                otherIds = ids;
            }
        }
        int id = ids[e];
        if (id == UNPARSED) {
            String text = new String(b, start, end - start, StandardCharsets.ISO_8859_1);
            String group = frameRules.fold(text, pnameIsJava);
            if (group == PerfFrameLine.UNRECOGNISED) {
                notes.unrecognised(text);
            }
            id = group == null ? SKIP : group == PerfFrameLine.UNRECOGNISED ? UNRECOGNISED_LINE : name(group) + 1;
            ids[e] = id;
        } else if (id == UNRECOGNISED_LINE) {
            notes.unrecognised(new String(b, start, end - start, StandardCharsets.ISO_8859_1));
        }
        if (id > 0) {
            push(id - 1);
        }
        if (javaFrames.bytes() + otherFrames.bytes() > FRAME_CACHE_BYTES) {
            // bounded memory on inputs with endless distinct frames: start the cache afresh
            javaFrames = new StackTable();
            otherFrames = new StackTable();
            javaIds = new int[1 << 10];
            otherIds = new int[1 << 10];
        }
    }

    /** The number of a folded name (a frame, or inlined frames joined with ';', or a process name). */
    private int name(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return names.entry(bytes, 0, bytes.length);
    }

    private void push(int name) {
        if (depth == frames.length) {
            frames = Arrays.copyOf(frames, depth * 2);
        }
        frames[depth++] = name;
    }

    /** The blank line after a sample: its stack, root first, summed by its frames' numbers. */
    private void endSample() throws ProfileFormatException {
        if (pname == null) {
            return;
        }
        if (depth + 1 > key.length) {
            key = new int[Math.max(depth + 1, key.length * 2)];
        }
        key[0] = pnameId;
        for (int i = 0; i < depth; i++) {
            key[depth - i] = frames[i];
        }
        int e = stacks.entry(key, depth + 1);
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
        PerfRecordLine.Record r = PerfRecordLine.record(line);
        if (r != null) {
            record(line, r);
            return;
        }
        if (pname == null) {
            return;
        }
        String group = frameRules.fold(line, pnameIsJava);
        if (group == PerfFrameLine.UNRECOGNISED) {
            notes.unrecognised(line);
            return;
        }
        if (group != null) {
            push(name(group));
        }
    }

    private void record(String line, PerfRecordLine.Record r) throws ProfileFormatException {
        String comm = r.comm();
        String pid = r.pid();
        String tid = r.tid();
        if (tid == null || tid.equals("0")) { // Perl: "not $tid"
            tid = pid;
            pid = "?";
        }
        String p = "";
        PerfRecordLine.Event e = PerfRecordLine.event(line);
        if (e != null) {
            p = e.period() == null ? "" : e.period();
            String event = e.event();
            if (eventFilter.isEmpty()) {
                eventFilter = event;
                eventDefaulted = true;
            } else if (!event.equals(eventFilter)) {
                if (eventDefaulted && !eventWarned) {
                    notes.filtering(event);
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
        pnameId = name(pname);
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
}
