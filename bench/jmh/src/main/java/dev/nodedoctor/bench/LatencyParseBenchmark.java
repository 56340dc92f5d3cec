package dev.nodedoctor.bench;

import dev.nodedoctor.accesslog.AccessRecord;
import dev.nodedoctor.accesslog.Filters;
import dev.nodedoctor.accesslog.JsonLineScanner;
import dev.nodedoctor.accesslog.LatencyAnalyzer;
import dev.nodedoctor.accesslog.LogFormatChoice;
import dev.nodedoctor.accesslog.LogSource;
import org.openjdk.jmh.annotations.AuxCounters;
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

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * `nodedoctor latency`'s hot path in-process, on one thread, without JVM start, JIT warm-up or output:
 * <ul>
 *   <li>{@code scan}: {@link JsonLineScanner#parse} over lines already split (the field scan and number
 *       parsing alone);</li>
 *   <li>{@code sourceAndAnalyzer}: {@link LogSource} reading the chunk from a stream (line splitting, the
 *       scan) into a {@link LatencyAnalyzer} (histogram recording): everything the command does per byte
 *       (the analyzer lives for a whole iteration, as it lives for a whole run in the command).</li>
 * </ul>
 * The input is the first {@code chunkMb} MB of a file written by {@code bench/latency/gen.py} (nginx
 * escape=json lines), held in memory. The score to read is the {@code bytes} counter: bytes per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmx256m"})
public class LatencyParseBenchmark {
    @Param("/tmp/nodedoctor-bench/access-1100m.jsonl")
    public String file;

    @Param("32")
    public int chunkMb;

    private byte[] data;
    private int[] lineStart;
    private int[] lineEnd;
    private final JsonLineScanner scanner = new JsonLineScanner(null);
    private final AccessRecord record = new AccessRecord();

    /** Bytes handled, reported by JMH as a rate (bytes/s) next to the ops rate. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Bytes {
        public long bytes;
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        int want = chunkMb * 1_000_000;
        byte[] head;
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            head = in.readNBytes(want);
        }
        int end = head.length;
        while (end > 0 && head[end - 1] != '\n') {
            end--; // whole lines only
        }
        data = java.util.Arrays.copyOf(head, end);
        int n = 0;
        for (byte b : data) {
            if (b == '\n') {
                n++;
            }
        }
        lineStart = new int[n];
        lineEnd = new int[n];
        int s = 0;
        int k = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\n') {
                lineStart[k] = s;
                lineEnd[k++] = i;
                s = i + 1;
            }
        }
    }

    @Benchmark
    public long scan(Bytes counter) {
        long sum = 0;
        for (int i = 0; i < lineStart.length; i++) {
            if (scanner.parse(data, lineStart[i], lineEnd[i], record)) {
                sum += record.requestMicros();
            }
        }
        counter.bytes += data.length;
        return sum;
    }

    private LatencyAnalyzer analyzer;

    /** One analyzer per iteration, as the command has one per run: its histograms are not a per-byte cost. */
    @Setup(Level.Iteration)
    public void newAnalyzer() {
        analyzer = new LatencyAnalyzer(List.of("bench"), null, Filters.NONE, 0);
    }

    @Benchmark
    public long sourceAndAnalyzer(Bytes counter) throws IOException {
        long n = 0;
        try (LogSource src = LogSource.open("bench", new ByteArrayInputStream(data),
                new LogFormatChoice(LogFormatChoice.Kind.AUTO, null), null)) {
            while (src.next(record)) {
                analyzer.add(0, record);
                n++;
            }
        }
        counter.bytes += data.length;
        return n;
    }
}
