package dev.nodedoctor.profile;

import dev.nodedoctor.report.PprofTopText;
import dev.nodedoctor.testkit.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `pprof top` against go tool pprof (go1.19.8) on real profiles from google/pprof and speedscope
 * (../shared/conformance/pprof, see its README): every line but `Time:` (its format differs between pprof
 * versions) must be equal, byte for byte.
 */
class PprofTopConformanceTest {
    static Path dir() {
        return Fixtures.shared().resolve("conformance/pprof");
    }

    static String render(PprofTop.Report r) {
        StringWriter s = new StringWriter();
        PrintWriter w = new PrintWriter(s);
        PprofTopText.print(r, w);
        w.flush();
        return s.toString();
    }

    static String withoutTime(String text) {
        return text.lines().filter(l -> !l.startsWith("Time:")).reduce("", (a, b) -> a + b + "\n");
    }

    @ParameterizedTest
    @CsvSource({"sample.cpu,top,false", "sample.cpu,topcum,true", "simple.prof,top,false", "simple.prof,topcum,true",
        "large.cpu,top,false", "large.cpu,topcum,true"})
    void sameTableAsGoToolPprof(String profile, String kind, boolean cum) throws Exception {
        PprofProfile p = PprofReader.parse(Files.readAllBytes(dir().resolve(profile)), profile);
        String ours = render(PprofTop.of(p, new PprofTop.Options(null, 0, cum)));
        String theirs = Files.readString(dir().resolve(profile + "." + kind + ".txt"));
        assertThat(withoutTime(ours)).isEqualTo(withoutTime(theirs));
    }

    @ParameterizedTest
    @CsvSource({"sample.cpu,top", "simple.prof,top"})
    void timeLineAsGo119PrintsItInUtc(String profile, String kind) throws Exception {
        TimeZone saved = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
            PprofProfile p = PprofReader.parse(Files.readAllBytes(dir().resolve(profile)), profile);
            String time = render(PprofTop.of(p, PprofTop.Options.defaults())).lines()
                    .filter(l -> l.startsWith("Time:")).findFirst().orElseThrow();
            assertThat(Files.readString(dir().resolve(profile + "." + kind + ".txt"))).contains(time + "\n");
        } finally {
            TimeZone.setDefault(saved);
        }
    }

    @org.junit.jupiter.api.Test
    void nodeCountKeepsTheFirstRowsAndSaysSo() throws Exception {
        PprofProfile p = PprofReader.parse(Files.readAllBytes(dir().resolve("simple.prof")), "simple.prof");
        PprofTop.Report all = PprofTop.of(p, PprofTop.Options.defaults());
        PprofTop.Report five = PprofTop.of(p, new PprofTop.Options(null, 5, false));
        // the values and order stay; the unit may change, as in pprof, since it suits the smallest shown value
        assertThat(five.rows()).extracting(PprofTop.Row::name, PprofTop.Row::flat, PprofTop.Row::cum)
                .containsExactlyElementsOf(all.rows().subList(0, 5).stream()
                        .map(r -> org.assertj.core.groups.Tuple.tuple(r.name(), r.flat(), r.cum())).toList());
        assertThat(five.header()).contains("Showing top 5 nodes out of " + all.rows().size());
    }

    @org.junit.jupiter.api.Test
    void sampleIndexByNameOrNumber() throws Exception {
        PprofProfile p = PprofReader.parse(Files.readAllBytes(dir().resolve("sample.cpu")), "sample.cpu");
        assertThat(p.sampleTypes()).extracting(PprofProfile.ValueType::type).containsExactly("samples", "cpu");
        assertThat(p.sampleIndex(null)).isEqualTo(1);
        assertThat(p.sampleIndex("samples")).isZero();
        assertThat(p.sampleIndex("0")).isZero();
        PprofTop.Report counts = PprofTop.of(p, new PprofTop.Options("samples", 0, false));
        // 1.76 s of 10 ms samples
        assertThat(counts.total()).isEqualTo(176);
        assertThat(counts.header()).contains("Type: samples");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.sampleIndex("alloc_space"))
                .hasMessageContaining("must be one of: samples, cpu");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.sampleIndex("7"))
                .hasMessageContaining("outside the range [0..1]");
    }
}
