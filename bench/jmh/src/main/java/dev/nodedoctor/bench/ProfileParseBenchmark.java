package dev.nodedoctor.bench;

import dev.nodedoctor.profile.FlameLayout;
import dev.nodedoctor.profile.FlameStacks;
import dev.nodedoctor.profile.FlameSvg;
import dev.nodedoctor.profile.FoldedStacks;
import dev.nodedoctor.profile.PerfCollapse;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * In-process throughput of the profile parsers, input already in memory (no JVM start, no disk):
 * <ul>
 *   <li>{@code collapse}: {@code perf script} text → folded stacks ({@link PerfCollapse}), on {@code copies} ×
 *       the vertx capture of the shared FlameGraph test data (1.05 MB each);</li>
 *   <li>{@code foldedRead}: folded lines → stacks ({@link FlameStacks#readFolded}), on 100,000 lines made as
 *       bench/profile/run.sh makes its 1 M lines (the shared collapsed captures' stacks cut to 12 frames, one
 *       of 50 leaves appended), ~20 MB;</li>
 *   <li>{@code foldedToSvg}: the same, laid out and rendered as the SVG.</li>
 * </ul>
 * MB/s = {@code bytes} printed at set-up / score. Forks use the launcher's flags for these commands (SerialGC,
 * -Xmx256m, full JIT).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms16m", "-Xmx256m", "-Xss512k", "-XX:+PerfDisableSharedMem"})
public class ProfileParseBenchmark {
    /** The shared conformance data (FlameGraph's test captures); relative to bench/jmh by default. */
    @Param("../../../shared/conformance")
    public String conformance;

    @Param("10")
    public int copies;

    byte[] perf;
    byte[] folded;

    @Setup
    public void setUp() throws IOException {
        Path dir = Path.of(conformance, "flamegraph");
        byte[] one = Files.readAllBytes(dir.resolve("input/perf-vertx-stacks-01.txt"));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < copies; i++) {
            b.write(one);
        }
        perf = b.toByteArray();
        StringBuilder base = new StringBuilder();
        try (var list = Files.list(dir.resolve("expected"))) {
            for (Path f : list.filter(p -> p.getFileName().toString().endsWith("-collapsed-all.txt")).sorted().toList()) {
                base.append(Files.readString(f, StandardCharsets.ISO_8859_1));
            }
        }
        List<String> lines = base.toString().lines().filter(l -> l.lastIndexOf(' ') > 0).toList();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            String l = lines.get(i % lines.size());
            int sp = l.lastIndexOf(' ');
            String[] frames = l.substring(0, sp).split(";");
            out.append(String.join(";", List.of(frames).subList(0, Math.min(12, frames.length))))
                    .append(";leaf").append(i % 50).append(l.substring(sp)).append('\n');
        }
        folded = out.toString().getBytes(StandardCharsets.ISO_8859_1);
        System.out.printf("%nbytes: perf %d, folded %d%n", perf.length, folded.length);
    }

    @Benchmark
    public FoldedStacks collapse() throws Exception {
        return PerfCollapse.collapse(new ByteArrayInputStream(perf), "bench", PerfCollapse.Options.defaults(), w -> { });
    }

    @Benchmark
    public FlameStacks foldedRead() throws Exception {
        return FlameStacks.readFolded(new ByteArrayInputStream(folded), "bench", false, w -> { });
    }

    @Benchmark
    public String foldedToSvg() throws Exception {
        FlameStacks s = FlameStacks.readFolded(new ByteArrayInputStream(folded), "bench", false, w -> { });
        return FlameSvg.svg(FlameLayout.of(s), FlameSvg.Options.defaults());
    }
}
