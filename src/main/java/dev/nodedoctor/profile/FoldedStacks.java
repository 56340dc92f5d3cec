package dev.nodedoctor.profile;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Stacks in the folded format ({@code root;caller;leaf count}), summed by stack: memory grows with the number of
 * distinct stacks, never with the input. Stacks are kept as their bytes (one byte per char, ISO-8859-1, so output
 * bytes equal input bytes), in one arena: no String and no map entry per stack, which is what a capture of
 * hundreds of thousands of distinct stacks needs to fit in a small heap. Order is Perl's byte-wise {@code sort}.
 */
public final class FoldedStacks {
    private final StackTable table = new StackTable();
    private long[] counts = new long[1 << 10];
    private long total;

    /** Adds {@code count} to {@code stack}; refuses sums beyond 64 bits. */
    public void add(String stack, long count) throws ProfileFormatException {
        byte[] b = stack.getBytes(StandardCharsets.ISO_8859_1);
        add(b, 0, b.length, count);
    }

    /** Adds {@code count} to the stack {@code b[start, end)}. */
    void add(byte[] b, int start, int end, long count) throws ProfileFormatException {
        int e = table.entry(b, start, end);
        if (e == counts.length) {
            counts = Arrays.copyOf(counts, e * 2);
        }
        try {
            counts[e] = Math.addExact(counts[e], count);
            total = Math.addExact(total, count);
        } catch (ArithmeticException x) {
            throw new ProfileFormatException("sample counts add up to more than 2^63; the input's counts are corrupt");
        }
    }

    public int size() {
        return table.size();
    }

    public long total() {
        return total;
    }

    public long count(String stack) {
        byte[] b = stack.getBytes(StandardCharsets.ISO_8859_1);
        int e = table.find(b, 0, b.length);
        return e < 0 ? 0 : counts[e];
    }

    /** The stacks sorted byte-wise, as stackcollapse-perf.pl prints them. */
    public List<Map.Entry<String, Long>> sorted() {
        byte[] arena = table.arena();
        List<Map.Entry<String, Long>> out = new ArrayList<>(size());
        for (int e : order()) {
            out.add(Map.entry(new String(arena, table.start(e), table.length(e), StandardCharsets.ISO_8859_1), counts[e]));
        }
        return out;
    }

    /** Writes {@code stack count} lines, sorted, straight from the stacks' bytes. */
    public void write(OutputStream out) throws IOException {
        byte[] arena = table.arena();
        byte[] buf = new byte[1 << 16];
        int n = 0;
        for (int e : order()) {
            int len = table.length(e);
            if (n + len + 22 > buf.length) {
                out.write(buf, 0, n);
                n = 0;
                if (len + 22 > buf.length) {
                    buf = new byte[len + 22];
                }
            }
            System.arraycopy(arena, table.start(e), buf, n, len);
            n += len;
            buf[n++] = ' ';
            byte[] count = Long.toString(counts[e]).getBytes(StandardCharsets.ISO_8859_1);
            System.arraycopy(count, 0, buf, n, count.length);
            n += count.length;
            buf[n++] = '\n';
        }
        out.write(buf, 0, n);
        out.flush();
    }

    /** Entry numbers in byte-wise order of their stacks (unsigned bytes: Perl's sort on byte strings). */
    private int[] order() {
        byte[] arena = table.arena();
        Integer[] idx = new Integer[size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Arrays.compareUnsigned(arena, table.start(a), table.start(a) + table.length(a),
                arena, table.start(b), table.start(b) + table.length(b)));
        int[] out = new int[idx.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = idx[i];
        }
        return out;
    }
}
