package dev.nodedoctor.bench;

import dev.nodedoctor.cgroup.BenchAccess;
import dev.nodedoctor.host.CgroupMembership;
import dev.nodedoctor.host.ProcessStat;
import dev.nodedoctor.host.ProcessStatus;
import dev.nodedoctor.host.SchedStat;
import dev.nodedoctor.sys.KernelFileException;
import dev.nodedoctor.sys.KernelFiles;
import dev.nodedoctor.sys.Parser;
import dev.nodedoctor.sys.Pending;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * The cost of one kernel file, the unit a sampling pass is made of, three ways:
 * <ul>
 *   <li>{@code kernelFiles}: through {@link KernelFiles}, 100 reads submitted then collected as a pass does
 *       (queue hand-off, open, read, close, parse on the reader thread);</li>
 *   <li>{@code kernelFilesWaitLastFirst}: the same, but the caller first waits for the last read of the batch
 *       (the reader serves in order), so it sleeps and wakes once per batch instead of once per read: the
 *       difference is the cost of the caller/reader ping-pong;</li>
 *   <li>{@code openReadClose}: FileChannel open/read/close on the calling thread, no parse: the floor for
 *       one-open-per-read;</li>
 *   <li>{@code preadKeptOpen}: the file opened once and re-read at offset 0 each time (procfs and cgroupfs
 *       regenerate seq_file content on a read from 0), no parse: what keeping descriptors open would cost;</li>
 *   <li>{@code parseOnly}: the parser on bytes already in memory.</li>
 * </ul>
 * Live files of this machine: pid 1's stat/status/schedstat/cgroup, the v1 cpu root's cpu.stat.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms16m", "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-Xss512k", "-XX:+PerfDisableSharedMem"})
public class FileReadBenchmark {
    static final int BATCH = 100;

    @Param({"/proc/1/stat", "/proc/1/status", "/proc/1/schedstat", "/proc/1/cgroup", "/sys/fs/cgroup/cpu/cpu.stat"})
    public String file;

    private KernelFiles files;
    private Parser<?> parser;
    private FileChannel kept;
    private final ByteBuffer buffer = ByteBuffer.allocate(16 << 10);
    private byte[] content;
    @SuppressWarnings("unchecked")
    private final Pending<Object>[] pending = new Pending[BATCH];

    @Setup(Level.Trial)
    public void setUp() throws IOException, KernelFileException {
        files = KernelFiles.live();
        parser = parserFor(file);
        kept = FileChannel.open(Path.of(file), StandardOpenOption.READ);
        buffer.clear();
        int n = kept.read(buffer, 0);
        content = java.util.Arrays.copyOf(buffer.array(), n);
        files.read(file, parser); // starts the reader thread
    }

    static Parser<?> parserFor(String file) {
        if (file.endsWith("/stat") && file.startsWith("/proc/")) {
            return ProcessStat.PARSER;
        } else if (file.endsWith("/status")) {
            return ProcessStatus.PARSER;
        } else if (file.endsWith("/schedstat")) {
            return SchedStat.PARSER;
        } else if (file.endsWith("/cgroup")) {
            return CgroupMembership.PARSER;
        } else if (file.endsWith("cpu.stat")) {
            return BenchAccess.CPU_STAT;
        } else if (file.endsWith("cpuacct.stat")) {
            return BenchAccess.CPUACCT_STAT;
        }
        return BenchAccess.NUMBER;
    }

    // No @TearDown closing `files`: see SamplingPassBenchmark.

    @TearDown(Level.Trial)
    public void closeKept() throws IOException {
        kept.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    @SuppressWarnings("unchecked")
    public Object kernelFiles() throws KernelFileException {
        for (int i = 0; i < BATCH; i++) {
            pending[i] = (Pending<Object>) files.submit(file, parser);
        }
        Object last = null;
        for (int i = 0; i < BATCH; i++) {
            last = pending[i].get();
        }
        return last;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    @SuppressWarnings("unchecked")
    public Object kernelFilesWaitLastFirst() throws KernelFileException {
        for (int i = 0; i < BATCH; i++) {
            pending[i] = (Pending<Object>) files.submit(file, parser);
        }
        Object last = pending[BATCH - 1].get();
        for (int i = 0; i < BATCH - 1; i++) {
            pending[i].get();
        }
        return last;
    }

    @Benchmark
    public int openReadClose() throws IOException {
        try (FileChannel ch = FileChannel.open(Path.of(file), StandardOpenOption.READ)) {
            buffer.clear();
            return ch.read(buffer);
        }
    }

    @Benchmark
    public int preadKeptOpen() throws IOException {
        buffer.clear();
        return kept.read(buffer, 0);
    }

    @Benchmark
    public Object parseOnly() throws Parser.MalformedException {
        return parser.parse(content, content.length);
    }
}
