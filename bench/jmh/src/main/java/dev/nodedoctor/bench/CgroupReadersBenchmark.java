package dev.nodedoctor.bench;

import dev.nodedoctor.cgroup.CgroupLayout;
import dev.nodedoctor.sample.CgroupFileReaders;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The periodic-reader sampling ({@link CgroupFileReaders}) on the candidates {@code diagnose} would pick on this
 * machine: {@code oneRound} is a first round (every candidate's descriptors listed and read), {@code oneSecond}
 * is one second of steady sampling at the 100 ms period (candidates that used no CPU since the last round are
 * skipped after one read of their stat) — its CPU per op, in ms, divided by 1000 is the share of a core the
 * sampling costs. Run with {@code -prof dev.nodedoctor.bench.CpuTimeProfiler} (CPU of the whole JVM, the
 * reader thread included) and {@code -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms16m", "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-Xss512k", "-XX:+PerfDisableSharedMem"})
public class CgroupReadersBenchmark {
    private KernelFiles files;
    private List<String> prefixes;
    private Map<Integer, String> candidates;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        files = KernelFiles.live();
        CgroupLayout layout = CgroupLayout.discover(files);
        Snapshot first = new Sampler(files, layout, Sampler.Options.ALL).snapshot();
        prefixes = CgroupFileReaders.mountPrefixes(layout);
        candidates = CgroupFileReaders.candidates(first, Map.of(), CgroupFileReaders.MAX_CANDIDATES);
        System.out.println("\ncandidates: " + candidates);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        files.close();
    }

    /** A zero-length window is exactly one round. */
    @Benchmark
    public CgroupFileReaders.Report oneRound() throws InterruptedException {
        return CgroupFileReaders.sample(files, prefixes, candidates, Duration.ZERO, Duration.ofMillis(100));
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2, batchSize = 1)
    @Measurement(iterations = 10, batchSize = 1)
    public CgroupFileReaders.Report oneSecond() throws InterruptedException {
        return CgroupFileReaders.sample(files, prefixes, candidates, Duration.ofSeconds(1), CgroupFileReaders.DEFAULT_PERIOD);
    }
}
