package dev.nodedoctor.profile;

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
}
