package dev.nodedoctor.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The frames of a flame graph as flamegraph.pl lays them out: stacks sorted, each frame spans the run of
 * consecutive stacks that share it (start and end in counts), its depth is its position in the stack (the root
 * "all" at 0). A differential frame carries the after − before of the stack that ends on it.
 */
public final class FlameLayout {
    /** A frame: [start, end) in counts; {@code delta} is NaN outside differential graphs. */
    public record Frame(String name, int depth, double start, double end, double delta) {
        public double width() {
            return end - start;
        }
    }

    private final List<Frame> frames = new ArrayList<>();
    private final double total;
    private final double maxDelta;

    private FlameLayout(double total, double maxDelta) {
        this.total = total;
        this.maxDelta = maxDelta;
    }

    public List<Frame> frames() {
        return frames;
    }

    public double total() {
        return total;
    }

    public double maxDelta() {
        return maxDelta;
    }

    /** Lays out the stacks (flamegraph.pl's sort and "flow" merge). */
    public static FlameLayout of(FlameStacks stacks) {
        List<Map.Entry<String, double[]>> sorted = new ArrayList<>(stacks.asMap().entrySet());
        // flamegraph.pl sorts whole lines "stack count": the blank after the stack orders a stack before its
        // extensions, as appending ' ' does here.
        sorted.sort((a, b) -> compareLines(a.getKey(), b.getKey()));
        double maxDelta = 1;
        if (stacks.differential()) {
            for (Map.Entry<String, double[]> e : sorted) {
                maxDelta = Math.max(maxDelta, Math.abs(e.getValue()[1] - e.getValue()[0]));
            }
        }
        Flow flow = new Flow();
        double time = 0;
        for (Map.Entry<String, double[]> e : sorted) {
            List<String> parts = FlameStacks.perlSplit(e.getKey());
            List<String> next = new ArrayList<>(parts.size() + 1);
            next.add("");
            next.addAll(parts);
            double delta = stacks.differential() ? e.getValue()[1] - e.getValue()[0] : Double.NaN;
            flow.step(next, time, delta);
            time += e.getValue()[1];
        }
        flow.step(List.of(), time, Double.NaN);
        FlameLayout layout = new FlameLayout(time, maxDelta);
        for (Frame f : flow.done) {
            if (f.name.isEmpty() && f.depth == 0) {
                layout.frames.add(new Frame("", 0, f.start, time, f.delta));
            } else {
                layout.frames.add(f);
            }
        }
        return layout;
    }

    /** Compares {@code a + ' '} with {@code b + ' '} in code point order, without building the strings. */
    static int compareLines(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                // outside surrogates, UTF-8 byte order is char order; pairs need the code points compared
                return !Character.isSurrogate(x) && !Character.isSurrogate(y) ? x - y
                        : CallGraph.compareUtf8(a.substring(i), b.substring(i));
            }
        }
        if (a.length() == b.length()) {
            return 0;
        }
        return a.length() < b.length() ? ' ' - b.charAt(n) : a.charAt(n) - ' ';
    }

    /**
     * flamegraph.pl's flow(): the frames still open are exactly the previous stack's, one per depth, so their
     * start and delta live in arrays indexed by depth (the script keys a hash by "name;depth").
     */
    private static final class Flow {
        List<String> last = List.of();
        double[] openStart = new double[64];
        double[] openDelta = new double[64];
        final List<Frame> done = new ArrayList<>();

        void step(List<String> next, double v, double d) {
            int same = 0;
            while (same < last.size() && same < next.size() && last.get(same).equals(next.get(same))) {
                same++;
            }
            for (int i = last.size() - 1; i >= same; i--) {
                done.add(new Frame(last.get(i), i, openStart[i], v, openDelta[i]));
            }
            if (next.size() > openStart.length) {
                openStart = java.util.Arrays.copyOf(openStart, Math.max(next.size(), openStart.length * 2));
                openDelta = java.util.Arrays.copyOf(openDelta, openStart.length);
            }
            for (int i = same; i < next.size(); i++) {
                openStart[i] = v;
                openDelta[i] = Double.isNaN(d) ? Double.NaN : (i == next.size() - 1 ? d : 0);
            }
            last = next;
        }
    }
}
