package dev.nodedoctor.profile;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stacks in the folded format ({@code root;caller;leaf count}), summed by stack: memory grows with the number of
 * distinct stacks, never with the input. Strings hold one byte per char (ISO-8859-1) so output bytes equal input
 * bytes and order is Perl's byte-wise {@code sort}.
 */
public final class FoldedStacks {
    private final Map<String, long[]> counts = new HashMap<>();
    private long total;

    /** Adds {@code count} to {@code stack}; refuses sums beyond 64 bits. */
    public void add(String stack, long count) throws ProfileFormatException {
        long[] c = counts.get(stack);
        if (c == null) {
            c = new long[1];
            counts.put(stack, c);
        }
        try {
            c[0] = Math.addExact(c[0], count);
            total = Math.addExact(total, count);
        } catch (ArithmeticException e) {
            throw new ProfileFormatException("sample counts add up to more than 2^63; the input's counts are corrupt");
        }
    }

    public int size() {
        return counts.size();
    }

    public long total() {
        return total;
    }

    public long count(String stack) {
        long[] c = counts.get(stack);
        return c == null ? 0 : c[0];
    }

    /** The stacks sorted byte-wise, as stackcollapse-perf.pl prints them. */
    public List<Map.Entry<String, Long>> sorted() {
        List<String> keys = new ArrayList<>(counts.keySet());
        keys.sort(null);
        List<Map.Entry<String, Long>> out = new ArrayList<>(keys.size());
        for (String k : keys) {
            out.add(Map.entry(k, counts.get(k)[0]));
        }
        return out;
    }

    /** Writes {@code stack count} lines, sorted. */
    public void write(OutputStream out) throws IOException {
        StringBuilder b = new StringBuilder(1 << 16);
        for (Map.Entry<String, Long> e : sorted()) {
            b.append(e.getKey()).append(' ').append(e.getValue()).append('\n');
            if (b.length() > (1 << 16)) {
                out.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
                b.setLength(0);
            }
        }
        out.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }
}
