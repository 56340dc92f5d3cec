package dev.nodedoctor.profile;

import dev.nodedoctor.testkit.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `collapse` against stackcollapse-perf.pl: 13 real perf script captures from FlameGraph's test suite and the
 * script's output for each option (../shared/conformance/flamegraph, see its README), compared byte for byte.
 */
class PerfCollapseConformanceTest {
    static Path dir() {
        return Fixtures.shared().resolve("conformance/flamegraph");
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> inputs = Files.list(dir().resolve("input"))) {
            for (Path in : inputs.sorted().toList()) {
                String name = in.getFileName().toString().replaceFirst("\\.txt$", "");
                for (String opt : List.of("default", "pid", "tid", "kernel", "jit", "all", "addrs")) {
                    out.add(Arguments.of(name, opt));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.stream();
    }

    static PerfCollapse.Options options(String opt) {
        return switch (opt) {
            case "default" -> PerfCollapse.Options.defaults();
            case "pid" -> new PerfCollapse.Options(true, false, false, false, false, null);
            case "tid" -> new PerfCollapse.Options(false, true, false, false, false, null);
            case "kernel" -> new PerfCollapse.Options(false, false, true, false, false, null);
            case "jit" -> new PerfCollapse.Options(false, false, false, true, false, null);
            case "all" -> new PerfCollapse.Options(false, false, true, true, false, null);
            case "addrs" -> new PerfCollapse.Options(false, false, false, false, true, null);
            default -> throw new IllegalArgumentException(opt);
        };
    }

    @ParameterizedTest(name = "{0} --{1}")
    @MethodSource("cases")
    void sameFoldedStacksAsStackcollapsePerf(String name, String opt) throws Exception {
        FoldedStacks folded;
        try (InputStream in = Files.newInputStream(dir().resolve("input/" + name + ".txt"))) {
            folded = PerfCollapse.collapse(in, name, options(opt), w -> { });
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        folded.write(out);
        byte[] expected = Files.readAllBytes(dir().resolve("expected/" + name + "-collapsed-" + opt + ".txt"));
        assertThat(new String(out.toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1))
                .isEqualTo(new String(expected, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /** A capture of this machine with Debian's perf (two events, kernel and JIT frames), see its README. */
    @ParameterizedTest(name = "perf-debian-6.18 {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"default", "pid", "tid", "kernel", "jit", "all", "addrs",
        "event-task-clock-kernel"})
    void captureOfThisMachine(String opt) throws Exception {
        Path dir = Path.of("src/test/resources/fixtures/perf-debian-6.18");
        PerfCollapse.Options o = opt.equals("event-task-clock-kernel")
                ? new PerfCollapse.Options(false, false, true, false, false, "task-clock") : options(opt);
        List<String> warnings = new ArrayList<>();
        FoldedStacks folded;
        try (InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(dir.resolve("perf-system-2events.txt.gz")))) {
            folded = PerfCollapse.collapse(in, "capture", o, warnings::add);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        folded.write(out);
        assertThat(new String(out.toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1))
                .isEqualTo(Files.readString(dir.resolve("expected-" + opt + ".txt"), java.nio.charset.StandardCharsets.ISO_8859_1));
        if (opt.equals("default")) {
            // the script's own stderr line when it drops the second event type
            assertThat(warnings).contains("Filtering for events of type: task-clock");
        }
    }
}
