package dev.nodedoctor.diagnose;

import dev.nodedoctor.profile.PprofReader;
import dev.nodedoctor.profile.ProfileSummary;
import dev.nodedoctor.testkit.Cli;
import dev.nodedoctor.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The profile rules on real Go profiles (src/test/resources/fixtures/go-profilegen, see its README). */
class ProfileRulesTest {
    static final Path DIR = Path.of("src/test/resources/fixtures/go-profilegen");

    static ProfileSummary summary(String name) throws Exception {
        return ProfileSummary.of(PprofReader.parse(Files.readAllBytes(DIR.resolve(name)), name), name);
    }

    static List<Finding> judge(String name) throws Exception {
        return RuleCatalogue.evaluate(RuleCatalogue.all(Thresholds.defaults()),
                Observations.ofProfiles(List.of(summary(name)))).findings();
    }

    @Test
    void gcHeavyCpuProfile() throws Exception {
        ProfileSummary s = summary("gc-cpu.pprof");
        assertThat(s.cpu()).isTrue();
        assertThat(s.gcShare()).isBetween(0.25, 0.6);
        assertThat(s.gcTop()).extracting(ProfileSummary.Share::function).contains("runtime.mallocgc", "runtime.scanobject");
        List<Finding> f = judge("gc-cpu.pprof");
        assertThat(f).extracting(Finding::id).containsExactly("gc.pressure");
        assertThat(f.get(0).fix()).contains("alloc_objects");
        assertThat(f.get(0).why()).contains("NUMBER of objects");
    }

    @Test
    void heapWithMillionsOfSmallObjects() throws Exception {
        ProfileSummary s = summary("heap.pprof");
        assertThat(s.heap()).isTrue();
        assertThat(s.topAllocator().function()).isEqualTo("encoding/json.(*decodeState).object");
        assertThat(s.topAllocator().objects()).isGreaterThan(1_000_000);
        assertThat(s.topAllocator().bytesPerObject()).isCloseTo(32.0, org.assertj.core.data.Offset.offset(0.5));
        assertThat(s.topAllocator().stack()).startsWith("runtime.main", "main.main", "main.decodeMany")
                .endsWith("encoding/json.(*decodeState).object");
        List<Finding> f = judge("heap.pprof");
        assertThat(f).extracting(Finding::id).containsExactly("heap.small-objects");
        assertThat(f.get(0).evidence()).extracting(Evidence::name).contains("objects", "size per object", "stack");
    }

    @Test
    void housekeepingReadingMemoryStat() throws Exception {
        ProfileSummary s = summary("cgroup-cpu.pprof");
        assertThat(s.cgroupShare()).isGreaterThan(0.5);
        assertThat(s.cgroupStack()).contains("main.housekeeping", "main.(*MemoryGroup).GetStats");
        List<Finding> f = judge("cgroup-cpu.pprof");
        assertThat(f).extracting(Finding::id).containsExactly("cgroup.stats-reader");
        assertThat(f.get(0).fix()).contains("dying memory cgroups").contains("/proc/cgroups");
    }

    @Test
    void quietProfilesGiveNoFindings() throws Exception {
        Path conf = Fixtures.shared().resolve("conformance/pprof");
        for (String p : List.of("sample.cpu", "simple.prof", "large.cpu")) {
            ProfileSummary s = ProfileSummary.of(PprofReader.parse(Files.readAllBytes(conf.resolve(p)), p), p);
            List<Finding> f = RuleCatalogue.evaluate(RuleCatalogue.all(Thresholds.defaults()),
                    Observations.ofProfiles(List.of(s))).findings();
            assertThat(f).as(p).isEmpty();
        }
    }

    @Test
    void thresholdsCanBeOverridden(@TempDir Path tmp) throws Exception {
        Path cfg = tmp.resolve("t.conf");
        Files.writeString(cfg, "gc.pressure.share=0.9\nheap.small-objects.max-bytes=16\n");
        Thresholds t = Thresholds.load(cfg, RuleCatalogue.thresholds());
        List<Finding> f = RuleCatalogue.evaluate(RuleCatalogue.all(t),
                Observations.ofProfiles(List.of(summary("gc-cpu.pprof"), summary("heap.pprof")))).findings();
        assertThat(f).isEmpty();
    }

    @Test
    void pprofTopPrintsTheFindingAndDiagnoseTakesProfiles() {
        Cli.Run top = Cli.run("pprof", "top", "-n", "3", DIR.resolve("heap.pprof").toString());
        assertThat(top.exit()).isZero();
        assertThat(top.out()).contains("Type: inuse_space").contains("WARNING heap.small-objects")
                .contains("explain heap.small-objects");
        Cli.Run json = Cli.run("pprof", "top", "--json", DIR.resolve("gc-cpu.pprof").toString());
        assertThat(json.out()).contains("\"findings\"").contains("\"gc.pressure\"");
        Cli.Run d = Cli.run("diagnose", "--root", Fixtures.v1Root().toString(), "--profile",
                DIR.resolve("cgroup-cpu.pprof").toString(), "--json");
        assertThat(d.exit()).as(d.err()).isZero();
        assertThat(d.out()).contains("cgroup.stats-reader");
    }
}
