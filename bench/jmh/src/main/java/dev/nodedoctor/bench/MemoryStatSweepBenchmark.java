package dev.nodedoctor.bench;

import dev.nodedoctor.cgroup.CgroupLayout;
import dev.nodedoctor.cgroup.CgroupMemory;
import dev.nodedoctor.cgroup.MemoryReader;
import dev.nodedoctor.sys.KernelFiles;
import dev.nodedoctor.sys.ReadTiming;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The read-latency probe of the slow-kernel check: one sweep over every memory cgroup of this machine, each
 * memory.stat read timed (with the other memory files of each cgroup), as every {@code diagnose} snapshot does.
 * CPU per sweep × 2 sweeps per window / window length is its share of a core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms16m", "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-Xss512k", "-XX:+PerfDisableSharedMem"})
public class MemoryStatSweepBenchmark {
    private KernelFiles files;
    private MemoryReader reader;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        files = KernelFiles.live();
        reader = new MemoryReader(files, CgroupLayout.discover(files));
        System.out.println("\nmemory cgroups: " + reader.walk().size());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        files.close();
    }

    @Benchmark
    public Map<String, CgroupMemory> sweep() {
        List<ReadTiming> timings = new ArrayList<>();
        return reader.readAll(e -> { }, timings, remark -> { });
    }
}
