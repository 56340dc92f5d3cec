package dev.nodedoctor.profile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Stacks for a flame graph: {@code root;…;leaf} → count, or → (before, after) for a differential graph, summed
 * by stack so memory follows the number of distinct stacks, not the input. Reads the folded format with
 * flamegraph.pl's line rule: the count is the last blank-separated number ({@code ^(.*)\s+?(\d+(?:\.\d*)?)$}),
 * and a second trailing number makes the line differential.
 */
public final class FlameStacks {
    private final Map<String, double[]> stacks = new HashMap<>();
    private boolean differential;
    private long ignored;

    public void add(String stack, double count) {
        stacks.computeIfAbsent(stack, k -> new double[2])[1] += count;
    }

    /** A stack of a differential graph: its value before and after. */
    public void addDiff(String stack, double before, double after) {
        differential = true;
        double[] c = stacks.computeIfAbsent(stack, k -> new double[2]);
        c[0] += before;
        c[1] += after;
    }

    public boolean differential() {
        return differential;
    }

    public int size() {
        return stacks.size();
    }

    public long ignoredLines() {
        return ignored;
    }

    public Map<String, double[]> asMap() {
        return stacks;
    }

    /**
     * The stacks from folded lines (UTF-8, as flamegraph.pl reads them); {@code reverse} flips each stack. Lines
     * are parsed as bytes and summed per distinct stack's bytes ({@link StackTable}); only the distinct stacks
     * are decoded to strings at the end, so a million lines over a few thousand stacks make a few thousand
     * strings. Counts are summed per stack in input order, as the script does.
     */
    public static FlameStacks readFolded(InputStream in, String what, boolean reverse, Consumer<String> warn)
            throws IOException, ProfileFormatException {
        FoldedSums sums = new FoldedSums();
        ByteLines.forEach(in, what, ByteLines.DEFAULT_MAX_LINE, sums);
        return sums.toStacks(reverse, warn);
    }

    /** Sums of folded lines per distinct stack (bytes), before and after. */
    private static final class FoldedSums implements ByteLines.Sink {
        final StackTable table = new StackTable();
        double[] before = new double[1 << 10];
        double[] after = new double[1 << 10];
        long ignored;
        boolean diff;
        private final int[] cut = new int[2];

        @Override
        public void line(byte[] b, int start, int end, int lineHash) { // the key is the stack, not the line
            if (!splitCount(b, start, end, cut)) {
                ignored++;
                return;
            }
            int stackEnd = cut[0];
            int numStart = cut[1];
            double count = number(b, numStart, end);
            double first = 0;
            if (splitCount(b, start, stackEnd, cut)) {
                first = number(b, cut[1], stackEnd);
                stackEnd = cut[0];
                diff = true;
            }
            add(table.entry(b, start, stackEnd), first, count);
        }

        private void add(int e, double first, double second) {
            if (e == before.length) {
                before = Arrays.copyOf(before, e * 2);
                after = Arrays.copyOf(after, e * 2);
            }
            before[e] += first;
            after[e] += second;
        }

        FlameStacks toStacks(boolean reverse, Consumer<String> warn) {
            FlameStacks s = new FlameStacks();
            s.ignored = ignored;
            byte[] arena = table.arena();
            for (int e = 0; e < table.size(); e++) {
                String stack = new String(arena, table.start(e), table.length(e), StandardCharsets.UTF_8);
                if (reverse) {
                    stack = reverse(stack);
                }
                if (diff) {
                    s.addDiff(stack, before[e], after[e]);
                } else {
                    s.add(stack, after[e]);
                }
            }
            if (s.ignored > 0) {
                warn.accept("Ignored " + s.ignored + " lines with invalid format");
            }
            return s;
        }
    }

    /** {@link #splitCount(String, int)} on bytes: fills {stackEnd, numberStart} and says whether it matched. */
    static boolean splitCount(byte[] s, int from, int end, int[] out) {
        int j = end;
        while (j > from && s[j - 1] >= '0' && s[j - 1] <= '9') {
            j--;
        }
        int numStart = j;
        if (j > from && s[j - 1] == '.') {
            int k = j - 1;
            int m = k;
            while (m > from && s[m - 1] >= '0' && s[m - 1] <= '9') {
                m--;
            }
            if (m < k) {
                numStart = m;
            } else if (j == end) {
                return false;
            }
        }
        if (numStart == end || numStart == from || !isBlank((char) s[numStart - 1])) {
            return false;
        }
        out[0] = numStart - 1;
        out[1] = numStart;
        return true;
    }

    /** The count {@code digits[.digits]} in b[from, to): exact for integers below 2^53, else Java's parser. */
    private static double number(byte[] b, int from, int to) {
        if (to - from <= 15) {
            long v = 0;
            int i = from;
            while (i < to && b[i] != '.') {
                v = v * 10 + (b[i] - '0');
                i++;
            }
            if (i == to) {
                return v;
            }
        }
        return Double.parseDouble(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
    }

    /** Merges two profiles into a differential one (what difffolded.pl does): before and after per stack. */
    public static FlameStacks diff(FlameStacks before, FlameStacks after) {
        FlameStacks d = new FlameStacks();
        d.differential = true;
        before.stacks.forEach((k, v) -> d.stacks.computeIfAbsent(k, x -> new double[2])[0] += v[1]);
        after.stacks.forEach((k, v) -> d.stacks.computeIfAbsent(k, x -> new double[2])[1] += v[1]);
        return d;
    }

    /** Folded stacks of a pprof profile: function names root first, inlined frames expanded, one sample type. */
    public static FlameStacks of(PprofProfile p, int valueIndex) {
        FlameStacks s = new FlameStacks();
        StringBuilder b = new StringBuilder();
        for (PprofProfile.Sample sample : p.samples()) {
            long v = sample.values()[valueIndex];
            if (v == 0) {
                continue;
            }
            b.setLength(0);
            PprofProfile.Location[] locs = sample.locations();
            for (int i = locs.length - 1; i >= 0; i--) {
                List<PprofProfile.Line> lines = locs[i].lines();
                if (lines.isEmpty()) {
                    append(b, locs[i].mapping() != null && !locs[i].mapping().file().isEmpty()
                            ? "[" + locs[i].mapping().file().substring(locs[i].mapping().file().lastIndexOf('/') + 1) + "]"
                            : String.format("0x%x", locs[i].address()));
                }
                for (int j = lines.size() - 1; j >= 0; j--) {
                    PprofProfile.Function f = lines.get(j).function();
                    append(b, f == null || f.name().isEmpty() ? "<unknown>" : f.name());
                }
            }
            s.add(b.toString(), v);
        }
        return s;
    }

    /** Folded stacks from perf-script collapse. */
    public static FlameStacks of(FoldedStacks folded) {
        FlameStacks s = new FlameStacks();
        for (Map.Entry<String, Long> e : folded.sorted()) {
            String utf8 = new String(e.getKey().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            s.add(utf8, e.getValue());
        }
        return s;
    }

    private static void append(StringBuilder b, String frame) {
        if (b.length() > 0) {
            b.append(';');
        }
        b.append(frame.replace(';', ':'));
    }

    static String reverse(String stack) {
        List<String> parts = perlSplit(stack);
        StringBuilder b = new StringBuilder();
        for (int i = parts.size() - 1; i >= 0; i--) {
            b.append(parts.get(i));
            if (i > 0) {
                b.append(';');
            }
        }
        return b.toString();
    }

    /** Perl's split(";", s): trailing empty fields dropped. */
    static List<String> perlSplit(String s) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == ';') {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    /**
     * {@code ^(.*)\s+?(\d+(?:\.\d*)?)$} on s[0,end): returns {stackEnd, numberStart} or null. The greedy
     * (.*) leaves exactly one blank before the number.
     */
    static int[] splitCount(String s, int end) {
        int i = end;
        // optional fraction: digits '.' digits*
        int j = i;
        while (j > 0 && s.charAt(j - 1) >= '0' && s.charAt(j - 1) <= '9') {
            j--;
        }
        int numStart = j;
        if (j > 0 && s.charAt(j - 1) == '.') {
            int k = j - 1;
            int m = k;
            while (m > 0 && s.charAt(m - 1) >= '0' && s.charAt(m - 1) <= '9') {
                m--;
            }
            if (m < k) {
                numStart = m;
            } else if (j == end) {
                return null;
            }
        }
        if (numStart == end) {
            return null;
        }
        if (numStart == 0 || !isBlank(s.charAt(numStart - 1))) {
            return null;
        }
        return new int[] {numStart - 1, numStart};
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\f' || c == '\r' || c == 0x0B;
    }
}
