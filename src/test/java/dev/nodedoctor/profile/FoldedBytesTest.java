package dev.nodedoctor.profile;

import dev.nodedoctor.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The byte-level folded reader ({@link ByteLines}, {@link StackTable}, {@link FlameStacks#readFolded}) against
 * flamegraph.pl's own line rule applied with a regex, on the shared collapsed captures (FlameGraph's test data,
 * see conformance/README.md), fed whole and in odd-sized reads that cut lines and blocks anywhere.
 */
class FoldedBytesTest {
    /** flamegraph.pl: {@code my ($stack, $samples) = (/^(.*)\s+?(\d+(?:\.\d*)?)$/)}, then again for diff lines. */
    private static final Pattern LINE = Pattern.compile("^(.*)\\s+?(\\d+(?:\\.\\d*)?)$", Pattern.DOTALL | Pattern.UNIX_LINES);

    static Map<String, double[]> oracle(byte[] input) {
        Map<String, double[]> out = new HashMap<>();
        String text = new String(input, StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        int n = lines.length;
        if (n > 0 && lines[n - 1].isEmpty()) {
            n--;
        }
        for (int i = 0; i < n; i++) {
            Matcher m = LINE.matcher(lines[i]);
            if (!m.matches()) {
                continue;
            }
            String stack = m.group(1);
            double after = Double.parseDouble(m.group(2));
            double before = 0;
            Matcher d = LINE.matcher(stack);
            if (d.matches()) {
                stack = d.group(1);
                before = Double.parseDouble(d.group(2));
            }
            double[] c = out.computeIfAbsent(stack, k -> new double[2]);
            c[0] += before;
            c[1] += after;
        }
        return out;
    }

    /** Reads at most {@code max} bytes per call, so lines are cut across reads and blocks. */
    static InputStream trickle(byte[] b, int max) {
        return new FilterInputStream(new ByteArrayInputStream(b)) {
            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                return super.read(buf, off, Math.min(len, max));
            }
        };
    }

    static void assertSame(FlameStacks s, Map<String, double[]> expected) {
        assertThat(s.size()).isEqualTo(expected.size());
        for (Map.Entry<String, double[]> e : expected.entrySet()) {
            assertThat(s.asMap()).containsKey(e.getKey());
            assertThat(s.asMap().get(e.getKey())[1]).as(e.getKey()).isEqualTo(e.getValue()[1]);
        }
    }

    @Test
    void sharedCollapsedCapturesSumAsTheScriptsLineRule() throws Exception {
        Path dir = Fixtures.shared().resolve("conformance/flamegraph/expected");
        List<Path> files;
        try (var list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Path f : files) {
            byte[] b = Files.readAllBytes(f);
            all.write(b);
            assertSame(FlameStacks.readFolded(new ByteArrayInputStream(b), f.toString(), false, w -> { }), oracle(b));
        }
        // all files at once (~1 MB, past one block) in reads of 1..4093 bytes
        byte[] big = all.toByteArray();
        for (int max : new int[] {1, 7, 4093, 1 << 22}) {
            assertSame(FlameStacks.readFolded(trickle(big, max), "all", false, w -> { }), oracle(big));
        }
    }

    @Test
    void oddLinesDiffLinesAndTheLastLineWithoutNewline() throws Exception {
        String text = "a;b 1\n" + "a;b\t2\n" + "a;b 2.5\n" + "a;b 007\n" + "\n" + "no count\n" + "a;b 5\r\n"
                + "x;y 3 4\n" + "a;b .5\n" + "a;b 1.\n" + "ü;ß 9\n" + "a;b  6\n" + "5\n" + " 5\n" + "a;c 12345678901234567890\n"
                + "a;b 3";
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        List<String> warnings = new ArrayList<>();
        FlameStacks s = FlameStacks.readFolded(trickle(b, 3), "odd", false, warnings::add);
        Map<String, double[]> want = oracle(b);
        assertThat(s.differential()).isTrue();
        assertThat(s.size()).isEqualTo(want.size());
        for (Map.Entry<String, double[]> e : want.entrySet()) {
            assertThat(s.asMap().get(e.getKey())).as(e.getKey()).containsExactly(e.getValue());
        }
        assertThat(warnings).singleElement().asString().contains("Ignored 5 lines");
    }

    @Test
    void manyDistinctStacksGrowTheTable() throws Exception {
        StringBuilder t = new StringBuilder();
        Random r = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            t.append("root;f").append(r.nextInt(50_000)).append(";g").append(i % 3).append(' ').append(i % 5).append('\n');
        }
        byte[] b = t.toString().getBytes(StandardCharsets.US_ASCII);
        assertSame(FlameStacks.readFolded(new ByteArrayInputStream(b), "many", false, w -> { }), oracle(b));
    }

    /**
     * perf script with more distinct frame lines than the frame cache keeps (it starts afresh, memory stays
     * bounded): every sample still folds by the script's rules (comm;function), repeated lines as new ones.
     */
    @Test
    void moreDistinctFramesThanTheCacheKeeps() throws Exception {
        StringBuilder t = new StringBuilder();
        int n = 100_000; // 4 frames a sample, half of them new, ~55 bytes a line: 11 MB of distinct lines
        Map<String, Long> want = new HashMap<>();
        for (int i = 0; i < n; i++) {
            int base = 4 * (i % 2 == 0 ? i : i % 1000);
            boolean java = i % 3 == 0;
            t.append(java ? "java" : "perl").append(" 1 1.0: ").append(1 + i % 4).append(" cycles:\n");
            StringBuilder folded = new StringBuilder(java ? "java" : "perl");
            for (int k = 3; k >= 0; k--) { // the script: frames leaf first, folded root first
                folded.append(java ? ";pkg/F" : ";Lpkg/F").append(base + k); // arguments and Java's 'L' dropped
            }
            for (int k = 0; k < 4; k++) {
                t.append('\t').append(Long.toHexString(0x7f0000000000L + base + k)).append(" Lpkg/F").append(base + k)
                        .append("(int) (/usr/lib/jvm/libjvm.so)\n");
            }
            t.append('\n');
            want.merge(folded.toString(), (long) (1 + i % 4), Long::sum);
        }
        FoldedStacks out = PerfCollapse.collapse(new ByteArrayInputStream(t.toString().getBytes(StandardCharsets.US_ASCII)),
                "distinct", PerfCollapse.Options.defaults(), w -> { });
        Map<String, Long> got = new HashMap<>();
        out.sorted().forEach(e -> got.put(e.getKey(), e.getValue()));
        assertThat(got.equals(want)).as("folded stacks as the script's rules give them").isTrue();
    }

    @Test
    void reverseFlipsEachDistinctStack() throws Exception {
        byte[] b = "a;b;c 1\na;b;c 2\nd;e 3\n".getBytes(StandardCharsets.US_ASCII);
        FlameStacks s = FlameStacks.readFolded(new ByteArrayInputStream(b), "r", true, w -> { });
        assertThat(s.asMap().keySet()).containsExactlyInAnyOrder("c;b;a", "e;d");
        assertThat(s.asMap().get("c;b;a")[1]).isEqualTo(3);
    }

    /**
     * The hash {@link ByteLines} hands out with each line, computed while it looks for the line's end across
     * reads of any size, is {@link StackTable#hash} of the line's bytes: lines of every length 0..40 with bytes
     * that look like '\n' in the bit trick (0x0A | 0x80, 0x0B), read a few bytes at a time.
     */
    @Test
    void lineHashIsTheTableHash() throws Exception {
        Random r = new Random(7);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] alphabet = {'a', ' ', ';', (byte) 0x8A, 0x0B, 0x09, 0, (byte) 0xFF};
        for (int i = 0; i < 3000; i++) {
            int len = r.nextInt(41);
            for (int k = 0; k < len; k++) {
                all.write(alphabet[r.nextInt(alphabet.length)]);
            }
            if (i < 2999) {
                all.write('\n');
            }
        }
        byte[] bytes = all.toByteArray();
        InputStream trickle = new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1 + r.nextInt(13)));
            }
        };
        List<String> seen = new ArrayList<>();
        long lines = ByteLines.forEach(trickle, "t", 1 << 20, (b, start, end, hash) -> {
            assertThat(hash).isEqualTo(StackTable.hash(b, start, end));
            seen.add(new String(b, start, end - start, StandardCharsets.ISO_8859_1));
        });
        assertThat(lines).isEqualTo(3000);
        assertThat(String.join("\n", seen)).isEqualTo(new String(bytes, StandardCharsets.ISO_8859_1));
    }

    @Test
    void svgBufferSizeNeverOverflows() {
        assertThat(FlameSvg.initialCapacity(0)).isEqualTo(64 * 1024);
        assertThat(FlameSvg.initialCapacity(11_000_000)).isPositive().isEqualTo(256 << 20);
        assertThat(FlameSvg.initialCapacity(Long.MAX_VALUE / 1000)).isEqualTo(256 << 20);
    }

    /** The fast paths of %.Nf and %.15g against the JDK's exact BigDecimal rounding and String.format. */
    @Test
    void svgNumbersMatchExactFormatting() {
        Random r = new Random(42);
        for (int i = 0; i < 40_000; i++) {
            double v = switch (i % 4) {
                case 0 -> r.nextDouble() * 2400 - 100;
                case 1 -> Math.round(r.nextDouble() * 24000) / 20.0; // ties and near-ties
                case 2 -> r.nextInt(1_000_000) * 0.005;
                default -> (r.nextDouble() - 0.5) * 1e12;
            };
            for (int d = 0; d <= 2; d++) {
                String exact = new BigDecimal(v).setScale(d, RoundingMode.HALF_EVEN).toPlainString();
                if (exact.startsWith("-") && exact.matches("-0(\\.0*)?")) {
                    exact = exact.substring(1);
                }
                assertThat(FlameSvg.fixed(v, d)).as("%.17g with %d decimals", v, d).isEqualTo(exact);
            }
            double half = Math.round(v * 2) / 2.0;
            String g = String.format(Locale.ROOT, "%.15g", half);
            if (!g.contains("e")) {
                g = g.replaceFirst("0+$", "");
                g = g.endsWith(".") ? g.substring(0, g.length() - 1) : g;
            }
            assertThat(FlameSvg.num(half)).as("%.17g", half).isEqualTo(g);
        }
    }
}
