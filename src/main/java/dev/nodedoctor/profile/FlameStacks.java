package dev.nodedoctor.profile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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

    /** The stacks from folded lines (UTF-8, as flamegraph.pl reads them); {@code reverse} flips each stack. */
    public static FlameStacks readFolded(InputStream in, String what, boolean reverse, Consumer<String> warn)
            throws IOException, ProfileFormatException {
        FlameStacks s = new FlameStacks();
        LineReader lines = new LineReader(in, what);
        for (String line; (line = lines.next(StandardCharsets.UTF_8)) != null; ) {
            int[] a = splitCount(line, line.length());
            if (a == null) {
                s.ignored++;
                continue;
            }
            String stack = line.substring(0, a[0]);
            double count = Double.parseDouble(line.substring(a[1]));
            int[] b = splitCount(stack, stack.length());
            if (b != null) {
                double before = Double.parseDouble(stack.substring(b[1]));
                stack = stack.substring(0, b[0]);
                s.addDiff(reverse ? reverse(stack) : stack, before, count);
            } else {
                s.add(reverse ? reverse(stack) : stack, count);
            }
        }
        if (s.ignored > 0) {
            warn.accept("Ignored " + s.ignored + " lines with invalid format");
        }
        return s;
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
