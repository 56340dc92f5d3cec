package dev.nodedoctor.profile;

import dev.nodedoctor.testkit.Cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** `pprof top` against the real `go tool pprof -top` on CPU and heap profiles made by a real Go program. */
class PprofTopRealGoTest {
    @ParameterizedTest(name = "{0} {1} cum={2}")
    @CsvSource({"cpu.pprof,,false", "cpu.pprof,,true", "cpu.pprof,samples,false",
        "heap.pprof,,false", "heap.pprof,,true", "heap.pprof,alloc_objects,false", "heap.pprof,alloc_space,false",
        "heap.pprof,inuse_objects,false", "heap.pprof,inuse_space,true", "heap.pprof,0,false"})
    void sameTableAsGoToolPprof(String file, String sampleIndex, boolean cum) throws Exception {
        List<String> args = new ArrayList<>(List.of("-top"));
        if (cum) {
            args.add("-cum");
        }
        if (sampleIndex != null) {
            args.add("-sample_index=" + sampleIndex);
        }
        args.add(file);
        String theirs = GoProfiles.pprof(args.toArray(String[]::new));
        PprofProfile p = PprofReader.parse(Files.readAllBytes(GoProfiles.profiles().resolve(file)), file);
        String ours = PprofTopConformanceTest.render(PprofTop.of(p, new PprofTop.Options(sampleIndex, 0, cum)));
        assertThat(PprofTopConformanceTest.withoutTime(ours)).isEqualTo(PprofTopConformanceTest.withoutTime(theirs));
    }

    @ParameterizedTest
    @CsvSource({"cpu.pprof,5", "heap.pprof,2"})
    void nodeCountAsGoToolPprof(String file, int n) throws Exception {
        String theirs = GoProfiles.pprof("-top", "-nodecount=" + n, file);
        PprofProfile p = PprofReader.parse(Files.readAllBytes(GoProfiles.profiles().resolve(file)), file);
        String ours = PprofTopConformanceTest.render(PprofTop.of(p, new PprofTop.Options(null, n, false)));
        assertThat(PprofTopConformanceTest.withoutTime(ours)).isEqualTo(PprofTopConformanceTest.withoutTime(theirs));
    }

    /**
     * -focus and -ignore against go tool pprof: the same kept samples, the whole profile's total, the node cutoff
     * of the kept graph, the "Active filters" lines; a focus that matches nothing is said (pprof: on stderr).
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {"cpu.pprof|-focus=main\\.", "cpu.pprof|-ignore=mallocgc",
        "cpu.pprof|-focus=json -ignore=runtime\\.mallocgc", "heap.pprof|-focus=decodeMany", "cpu.pprof|-focus=nothing-matches",
        "SHARED/large.cpu|-focus=time\\.now", "SHARED/large.cpu|-focus=main -ignore=time\\.Now",
        "SHARED/large.cpu|-ignore=time\\.Now"})
    void focusAndIgnoreAsGoToolPprof(String file, String filters) throws Exception {
        java.nio.file.Path path = file.startsWith("SHARED/")
                ? dev.nodedoctor.testkit.Fixtures.shared().resolve("conformance/pprof/" + file.substring(7))
                : GoProfiles.profiles().resolve(file);
        java.util.regex.Pattern focus = null;
        java.util.regex.Pattern ignore = null;
        for (String f : filters.split(" ")) {
            String re = f.substring(f.indexOf('=') + 1);
            if (f.startsWith("-focus=")) {
                focus = java.util.regex.Pattern.compile(re);
            } else {
                ignore = java.util.regex.Pattern.compile(re);
            }
        }
        List<String> args = new ArrayList<>(List.of("-top"));
        args.addAll(List.of(filters.split(" ")));
        args.add(path.toString());
        String theirs = GoProfiles.pprof(args.toArray(String[]::new));
        PprofProfile p = PprofReader.parse(Files.readAllBytes(path), file);
        PprofTop.Report r = PprofTop.of(p, new PprofTop.Options(null, 0, false, new SampleFilter(focus, ignore)));
        assertThat(PprofTopConformanceTest.withoutTime(PprofTopConformanceTest.render(r)))
                .isEqualTo(PprofTopConformanceTest.withoutTime(theirs));
        assertThat(theirs).contains("Active filters:");
        if (filters.contains("nothing-matches")) {
            assertThat(r.notes()).containsExactly("Focus expression matched no samples");
            assertThat(r.rows()).isEmpty();
        } else {
            assertThat(r.notes()).isEmpty();
            assertThat(r.rows()).isNotEmpty();
        }
    }

    /**
     * -diff_base against go tool pprof: the base's samples negated, the base's total for percentages, the merged
     * header (earliest time, summed durations), sorting by |flat|; CPU profiles of this run and the test tree's
     * (cgroup reader vs GC load), heap by two sample types, and two unrelated real profiles.
     */
    @ParameterizedTest(name = "{0} - {1} {2}")
    @CsvSource(delimiter = '|', value = {"FIXTURE/cgroup-cpu.pprof|FIXTURE/gc-cpu.pprof|",
        "FIXTURE/cgroup-cpu.pprof|FIXTURE/gc-cpu.pprof|-cum", "cpu.pprof|FIXTURE/gc-cpu.pprof|-nodecount=5",
        "cpu.pprof|FIXTURE/cgroup-cpu.pprof|-focus=json", "heap.pprof|FIXTURE/heap.pprof|",
        "heap.pprof|FIXTURE/heap.pprof|-sample_index=alloc_objects", "SHARED/large.cpu|SHARED/sample.cpu|"})
    void diffBaseAsGoToolPprof(String file, String base, String option) throws Exception {
        List<String> args = new ArrayList<>(List.of("-top"));
        if (option != null) {
            args.add(option);
        }
        args.add("-diff_base=" + where(base));
        args.add(where(file).toString());
        String theirs = GoProfiles.pprof(args.toArray(String[]::new));
        PprofProfile p = PprofReader.parse(Files.readAllBytes(where(file)), file);
        PprofProfile b = PprofReader.parse(Files.readAllBytes(where(base)), base);
        String sampleIndex = option != null && option.startsWith("-sample_index=") ? option.substring(14) : null;
        int n = option != null && option.startsWith("-nodecount=") ? Integer.parseInt(option.substring(11)) : 0;
        SampleFilter filter = new SampleFilter(option != null && option.startsWith("-focus=")
                ? java.util.regex.Pattern.compile(option.substring(7)) : null, null);
        PprofTop.Report r = PprofTop.of(DiffBase.of(p, b),
                new PprofTop.Options(sampleIndex, n, "-cum".equals(option), filter));
        assertThat(PprofTopConformanceTest.withoutTime(PprofTopConformanceTest.render(r)))
                .isEqualTo(PprofTopConformanceTest.withoutTime(theirs));
        assertThat(r.rows()).isNotEmpty();
    }

    /** A base of other sample types is refused in one line, as pprof refuses it. */
    @org.junit.jupiter.api.Test
    void diffBaseOfAnotherKindIsRefused() throws Exception {
        Cli.Run run = Cli.run("pprof", "top", "--diff-base", where("FIXTURE/heap.pprof").toString(),
                where("FIXTURE/gc-cpu.pprof").toString());
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).contains("the base profile is not comparable: period type space/bytes, not cpu/nanoseconds")
                .doesNotContain("\tat ");
    }

    /** A profile of this run (plain name), of the test tree (FIXTURE/) or of ../shared (SHARED/). */
    private static java.nio.file.Path where(String file) throws Exception {
        if (file.startsWith("FIXTURE/")) {
            return java.nio.file.Path.of("src/test/resources/fixtures/go-profilegen", file.substring(8)).toAbsolutePath();
        }
        if (file.startsWith("SHARED/")) {
            return dev.nodedoctor.testkit.Fixtures.shared().resolve("conformance/pprof/" + file.substring(7));
        }
        return GoProfiles.profiles().resolve(file);
    }

    /** Line granularity (what `pprof list` shows) against `go tool pprof -top -lines`. */
    @ParameterizedTest
    @CsvSource({"cpu.pprof", "heap.pprof", "SHARED/sample.cpu", "SHARED/simple.prof"})
    void linesAsGoToolPprof(String file) throws Exception {
        java.nio.file.Path path = file.startsWith("SHARED/")
                ? dev.nodedoctor.testkit.Fixtures.shared().resolve("conformance/pprof/" + file.substring(7))
                : GoProfiles.profiles().resolve(file);
        String theirs = GoProfiles.pprof("-top", "-lines", path.toString());
        PprofProfile p = PprofReader.parse(Files.readAllBytes(path), file);
        String ours = PprofTopConformanceTest.render(PprofTop.of(p, PprofTop.Options.defaults(), CallGraph.Granularity.LINES));
        assertThat(PprofTopConformanceTest.withoutTime(ours)).isEqualTo(PprofTopConformanceTest.withoutTime(theirs));
    }

    /** The command's --lines with --focus: go tool pprof -top -lines -focus, row for row. */
    @org.junit.jupiter.api.Test
    void linesOptionOnTheCommandLine() throws Exception {
        java.nio.file.Path cpu = GoProfiles.profiles().resolve("cpu.pprof");
        String theirs = GoProfiles.pprof("-top", "-lines", "-focus=json", cpu.toString());
        Cli.Run run = Cli.run("pprof", "top", "--lines", "--focus", "json", cpu.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        String table = run.out().substring(0, run.out().indexOf("\n\n") < 0 ? run.out().length() : run.out().indexOf("\n\n") + 1);
        assertThat(PprofTopConformanceTest.withoutTime(table)).isEqualTo(PprofTopConformanceTest.withoutTime(theirs));
        assertThat(table).contains("decode.go:");
    }

    @org.junit.jupiter.api.Test
    void listShowsEachLineOfTheFunction() throws Exception {
        java.nio.file.Path sample = dev.nodedoctor.testkit.Fixtures.shared().resolve("conformance/pprof/sample.cpu");
        PprofList.Listing l = PprofList.of(PprofReader.parse(Files.readAllBytes(sample), "s"), "busyLoop", null);
        assertThat(l.routines()).hasSize(1);
        PprofList.Routine r = l.routines().get(0);
        // main.busyLoop: flat 0.15s, cum 1.76s in go tool pprof -top (sample.cpu.top.txt)
        assertThat(r.flat()).isEqualTo(150_000_000L);
        assertThat(r.cum()).isEqualTo(1_760_000_000L);
        assertThat(r.lines().stream().mapToLong(PprofList.Line::flat).sum()).isEqualTo(r.flat());
        dev.nodedoctor.testkit.Cli.Run run = dev.nodedoctor.testkit.Cli.run("pprof", "list", "busyLoop", sample.toString());
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("ROUTINE ======================== main.busyLoop").contains("sample.go:36");
        assertThat(dev.nodedoctor.testkit.Cli.run("pprof", "list", "nope", sample.toString()).exit()).isEqualTo(2);
    }
}
