package dev.nodedoctor.profile;

import dev.nodedoctor.testkit.Cli;
import dev.nodedoctor.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flame graph SVGs against flamegraph.pl's: the 13 shared expected SVGs (--hash) and the option outputs in
 * src/test/resources/fixtures/flamegraph-options (see its README). Perl writes frames in hash order, so the
 * comparison is the set of frames — tooltip title, x, y, width and fill — plus the image height.
 */
class FlameSvgConformanceTest {
    static final Pattern FRAME = Pattern.compile(
            "<title>(.*?)</title><rect x=\"([^\"]*)\" y=\"([^\"]*)\" width=\"([^\"]*)\" height=\"[^\"]*\" fill=\"([^\"]*)\"");
    static final Path OPTIONS = Path.of("src/test/resources/fixtures/flamegraph-options");

    static List<String> frames(String svg) {
        List<String> out = new ArrayList<>();
        Matcher m = FRAME.matcher(svg);
        while (m.find()) {
            out.add(m.group(1) + " | x=" + m.group(2) + " y=" + m.group(3) + " w=" + m.group(4) + " " + m.group(5));
        }
        out.sort(null);
        return out;
    }

    static String height(String svg) {
        Matcher m = Pattern.compile("<svg [^>]*height=\"([^\"]*)\"").matcher(svg);
        return m.find() ? m.group(1) : "?";
    }

    static Document xml(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    static String render(Path folded, FlameSvg.Options o, boolean reverse) throws Exception {
        FlameStacks s;
        try (var in = Files.newInputStream(folded)) {
            s = FlameStacks.readFolded(in, folded.toString(), reverse, w -> { });
        }
        return FlameSvg.svg(FlameLayout.of(s), o);
    }

    @ParameterizedTest
    @ValueSource(strings = {"perf-cycles-instructions-01", "perf-dd-stacks-01", "perf-funcab-cmd-01", "perf-funcab-pid-01",
        "perf-iperf-stacks-pidtid-01", "perf-java-faults-01", "perf-java-stacks-01", "perf-java-stacks-02",
        "perf-js-stacks-01", "perf-mirageos-stacks-01", "perf-numa-stacks-01", "perf-rust-Yamakaky-dcpu",
        "perf-vertx-stacks-01"})
    void sameFramesAsFlamegraphPl(String name) throws Exception {
        Path dir = Fixtures.shared().resolve("conformance/flamegraph");
        FlameSvg.Options hash = new FlameSvg.Options(null, "", 1200, 16, 12, 0.59, "0.1", "samples", "Function:", "hot",
                true, false, false);
        String ours = render(dir.resolve("expected/" + name + "-collapsed-all.txt"), hash, false);
        String theirs = Files.readString(dir.resolve("expected-svg/" + name + ".svg"));
        assertThat(frames(ours)).isEqualTo(frames(theirs)).isNotEmpty();
        assertThat(height(ours)).isEqualTo(height(theirs));
        xml(ours); // well-formed
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "diff.svg|--diff before.folded after.folded",
        "diff-negate.svg|--diff --negate before.folded after.folded",
        "inverted-java.svg|--inverted --title Icicle_test --countname ms --colors java before.folded",
        "reverse-minwidth.svg|--reverse --minwidth 2 --colors mem before.folded",
        "minwidth-percent.svg|--minwidth 1% after.folded"})
    void optionsAsFlamegraphPl(String expected, String args, @TempDir Path tmp) throws Exception {
        List<String> argv = new ArrayList<>(List.of("flame"));
        for (String a : args.split(" ")) {
            argv.add(a.endsWith(".folded") ? OPTIONS.resolve(a).toString() : a.replace('_', ' '));
        }
        Path out = tmp.resolve("out.svg");
        argv.addAll(List.of("-o", out.toString()));
        Cli.Run r = Cli.run(argv.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        String ours = Files.readString(out);
        String theirs = Files.readString(OPTIONS.resolve(expected));
        assertThat(frames(ours)).isEqualTo(frames(theirs)).isNotEmpty();
        assertThat(height(ours)).isEqualTo(height(theirs));
        xml(ours);
    }

    /** Every frame's samples equal the sum of the frames directly above it plus its own self time (≥ 0). */
    @Test
    void widthsAddUpFromRootToLeaves() throws Exception {
        Path folded = Fixtures.shared().resolve("conformance/flamegraph/expected/perf-vertx-stacks-01-collapsed-all.txt");
        String svg = render(folded, FlameSvg.Options.defaults().withTitle("t"), false);
        Document d = xml(svg);
        NodeList gs = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "g");
        TreeMap<Integer, Double> widthPerRow = new TreeMap<>();
        double root = 0;
        long rootSamples = 0;
        long depth1Samples = 0;
        for (int i = 0; i < gs.getLength(); i++) {
            Element g = (Element) gs.item(i);
            if (g.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect").getLength() == 0 || g.hasAttribute("id")) {
                continue;
            }
            Element rect = (Element) g.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect").item(0);
            String title = g.getElementsByTagNameNS("http://www.w3.org/2000/svg", "title").item(0).getTextContent();
            long samples = Long.parseLong(title.replaceAll(".* \\(([\\d,]+) samples.*", "$1").replace(",", ""));
            int y = Integer.parseInt(rect.getAttribute("y"));
            double w = Double.parseDouble(rect.getAttribute("width"));
            widthPerRow.merge(y, w, Double::sum);
            if (title.startsWith("all (")) {
                root = w;
                rootSamples = samples;
            }
            if (y == 1190 - 34 - 2 * 16 + 1) { // image height − bottom pad − two frames + frame pad
                depth1Samples += samples;
            }
        }
        assertThat(root).isEqualTo(1180.0);
        assertThat(rootSamples).isEqualTo(285);
        // every stack has a process name frame at depth 1: together they are the whole graph
        assertThat(depth1Samples).isEqualTo(rootSamples);
        // no row is wider than the root (rounding of each frame to 0.1 px aside)
        widthPerRow.values().forEach(w -> assertThat(w).isLessThanOrEqualTo(1180.0 + 0.05 * 361));
    }

    @Test
    void htmlPageHoldsTheSvgInline(@TempDir Path tmp) throws Exception {
        Path folded = OPTIONS.resolve("before.folded");
        Path out = tmp.resolve("g.html");
        assertThat(Cli.run("flame", "--title", "A <b> & c", folded.toString(), "-o", out.toString()).exit()).isZero();
        String html = Files.readString(out);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg ").contains("A &lt;b&gt; &amp; c")
                .doesNotContain("http://www.brendangregg").doesNotContain("src=\"http");
    }
}
