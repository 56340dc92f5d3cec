package dev.nodedoctor.bench;

import dev.nodedoctor.cgroup.CgroupLayout;
import dev.nodedoctor.sample.Sampler;
import dev.nodedoctor.sample.Snapshot;
import dev.nodedoctor.sys.KernelFiles;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One sampling pass ({@link Sampler#snapshot()}): host files, every process, every cgroup — what `top` and
 * `record` do once per interval. Run with {@code -prof gc} (allocation per pass, all threads) and
 * {@code -prof dev.nodedoctor.bench.CpuTimeProfiler} (CPU per pass; the score itself is wall time).
 *
 * <p>{@code tree=live} reads this machine's /proc and /sys; {@code tree=synthetic} reads a generated node of
 * {@code synthProcesses} processes and {@code synthCgroups} v1 cgroups (see {@link SyntheticTree}; plain files,
 * not procfs). The fork uses the JVM flags of the {@code ./nodedoctor} launcher, so the numbers are the
 * agent's (C1 only, SerialGC, small heap).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms16m", "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-Xss512k", "-XX:+PerfDisableSharedMem"})
public class SamplingPassBenchmark {

    @Param({"live", "synthetic"})
    public String tree;

    /** all = processes + cgroups (`top`), processes (`top --processes`), cgroups (`top --cgroups`). */
    @Param({"all"})
    public String scope;

    /** Per-thread /proc/PID/task/TID/schedstat reads (run-queue delay); `top --no-runqueue` turns them off. */
    @Param({"true", "false"})
    public boolean threadSchedstat;

    @Param({"2000"})
    public int synthProcesses;

    @Param({"1000"})
    public int synthCgroups;

    @Param({"/tmp/nodedoctor-synthetic"})
    public String synthDir;

    private KernelFiles files;
    private Sampler sampler;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        files = open(tree, synthDir, synthProcesses, synthCgroups);
        boolean processes = !scope.equals("cgroups");
        boolean cgroups = !scope.equals("processes");
        sampler = new Sampler(files, CgroupLayout.discover(files),
                new Sampler.Options(processes, cgroups, threadSchedstat));
        Snapshot first = sampler.snapshot(); // fills the command-line cache, as the first pass of `top` does
        System.out.printf("%n[%s] one pass: %d processes, %d cgroups, %d notes; layout: %s%n", tree,
                first.processes().size(), first.cgroups().size(), first.notes().size(), sampler.layout().describe());
        first.notes().stream().limit(5).forEach(n -> System.out.println("  note: " + n));
    }

    static KernelFiles open(String tree, String synthDir, int processes, int cgroups) throws IOException {
        switch (tree) {
            case "live":
                return KernelFiles.live();
            case "synthetic":
                Path dir = SyntheticTree.ensure(Path.of(synthDir), processes, cgroups);
                return KernelFiles.at(dir, KernelFiles.DEFAULT_DEADLINE);
            default:
                throw new IllegalArgumentException("tree must be live or synthetic, not " + tree);
        }
    }

    // No @TearDown closing `files`: closing stops the reader thread before the profilers' last look, and its
    // CPU would be lost from cpu.reader.norm. The fork exits after the trial; the reader is a daemon thread.

    @Benchmark
    public Snapshot snapshot() {
        return sampler.snapshot();
    }
}
