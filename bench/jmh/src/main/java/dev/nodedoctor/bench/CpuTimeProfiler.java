package dev.nodedoctor.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time per operation, which JMH does not measure (its scores are wall time). The sampling pass runs on
 * two threads, the caller and the {@code KernelFiles} reader thread that opens, reads and parses every file,
 * so wall time is neither the cost nor the split. Use with {@code -prof dev.nodedoctor.bench.CpuTimeProfiler}.
 *
 * <ul>
 *   <li>{@code cpu.process.norm}: CPU of the whole benchmark JVM per op (includes JIT, GC and JMH itself);</li>
 *   <li>{@code cpu.reader.norm}: CPU of the {@code nodedoctor-kernel-reader-*} threads per op;</li>
 *   <li>{@code cpu.caller.norm}: CPU of the JMH worker thread (submit, collect, build the snapshot) per op;</li>
 *   <li>{@code cpu.process.sys.norm}: the kernel-mode part of {@code cpu.process.norm} (from
 *       {@code /proc/self/stat}, 10 ms ticks: read it over whole iterations, not per op);</li>
 *   <li>{@code cpu.reader.sys.norm}: the kernel-mode part of {@code cpu.reader.norm};</li>
 *   <li>{@code cpu.process.util}: process CPU / wall time, in cores.</li>
 * </ul>
 * Threads that exit during an iteration are not counted in the per-thread figures (the process figure
 * counts everything).
 */
public final class CpuTimeProfiler implements InternalProfiler {
    /** Set ND_CPUPROF_VERBOSE=1 to print the CPU of every busy thread after each iteration. */
    private static final boolean VERBOSE = System.getenv("ND_CPUPROF_VERBOSE") != null;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long processBefore;
    private long sysTicksBefore;
    private Map<Long, Long> userBefore = Map.of();
    private long wallBefore;
    private Map<Long, Long> threadBefore = Map.of();

    @Override
    public String getDescription() {
        return "CPU time per op: whole process, nodedoctor reader threads, benchmark caller thread";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        threadBefore = threadCpu(null, false);
        userBefore = threadCpu(null, true);
        sysTicksBefore = sysTicks();
        wallBefore = System.nanoTime();
        processBefore = os.getProcessCpuTime();
    }

    @Override
    public List<Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                       IterationResult result) {
        long process = os.getProcessCpuTime() - processBefore;
        long wall = System.nanoTime() - wallBefore;
        long sys = (sysTicks() - sysTicksBefore) * 10_000_000L;
        Map<Long, String> names = new HashMap<>();
        Map<Long, Long> after = threadCpu(names, false);
        Map<Long, Long> userAfter = threadCpu(null, true);
        long reader = 0, caller = 0, readerUser = 0;
        Map<String, Long> byName = new HashMap<>();
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            long delta = e.getValue() - threadBefore.getOrDefault(e.getKey(), 0L);
            String name = names.get(e.getKey());
            if (name.startsWith("nodedoctor-kernel-reader")) {
                reader += delta;
                readerUser += userAfter.getOrDefault(e.getKey(), 0L) - userBefore.getOrDefault(e.getKey(), 0L);
            } else if (name.contains("jmh-worker")) {
                caller += delta;
            }
            byName.merge(name.replaceAll("[0-9]+$", "#"), delta, Long::sum);
        }
        if (VERBOSE) {
            StringBuilder b = new StringBuilder("cpu by thread (ms):");
            byName.entrySet().stream().filter(e -> e.getValue() > 1_000_000)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> b.append(' ').append(e.getKey()).append('=').append(e.getValue() / 1_000_000));
            b.append(" process=").append(process / 1_000_000).append(" wall=").append(wall / 1_000_000);
            System.out.println(b);
        }
        long ops = Math.max(1, result.getMetadata().getAllOps());
        List<Result> out = new ArrayList<>();
        out.add(new ScalarResult("cpu.process.norm", process / 1e6 / ops, "ms/op", AggregationPolicy.AVG));
        out.add(new ScalarResult("cpu.reader.norm", reader / 1e6 / ops, "ms/op", AggregationPolicy.AVG));
        out.add(new ScalarResult("cpu.caller.norm", caller / 1e6 / ops, "ms/op", AggregationPolicy.AVG));
        out.add(new ScalarResult("cpu.process.sys.norm", sys / 1e6 / ops, "ms/op", AggregationPolicy.AVG));
        out.add(new ScalarResult("cpu.reader.sys.norm", (reader - readerUser) / 1e6 / ops, "ms/op",
                AggregationPolicy.AVG));
        out.add(new ScalarResult("cpu.process.util", (double) process / wall, "cores", AggregationPolicy.AVG));
        return out;
    }

    /** stime of this process in clock ticks (USER_HZ = 100). */
    private static long sysTicks() {
        try {
            String s = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/self/stat")),
                    java.nio.charset.StandardCharsets.US_ASCII);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[12]); // field 15 (stime); f[0] is field 3
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    private Map<Long, Long> threadCpu(Map<Long, String> names, boolean userOnly) {
        Map<Long, Long> out = new HashMap<>();
        long[] ids = threads.getAllThreadIds();
        ThreadInfo[] infos = names == null ? null : threads.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long cpu = userOnly ? threads.getThreadUserTime(ids[i]) : threads.getThreadCpuTime(ids[i]);
            if (cpu < 0 || (infos != null && infos[i] == null)) {
                continue; // exited
            }
            out.put(ids[i], cpu);
            if (names != null) {
                names.put(ids[i], infos[i].getThreadName());
            }
        }
        return out;
    }
}
