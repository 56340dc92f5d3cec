import dev.nodedoctor.kernel.KernelEventRules;
import dev.nodedoctor.kernel.KernelLogLine;
import dev.nodedoctor.kernel.KernelLogParser;
import dev.nodedoctor.kernel.KernelLogScan;
import dev.nodedoctor.kernel.OomReport;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * In-process parse throughput of a kernel log, stage by stage, with CPU time beside wall time (the build
 * machine is shared: wall time there is mostly waiting for a CPU). Run from the project root after
 * `./mvnw -q -DskipTests package`:
 *   java -cp target/nodedoctor.jar bench/kernellog/ParseThroughput.java FILE [ROUNDS]
 * The first round warms the JIT; later rounds are reported.
 */
public class ParseThroughput {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        double mb = Files.size(file) / 1048576.0;
        KernelEventRules rules = KernelEventRules.builtIn();
        for (int round = 0; round < rounds; round++) {
            String tag = round == 0 ? "warm-up" : "round " + round;
            time(tag + " lines only       ", mb, () -> {
                long[] n = {0};
                try (BufferedReader in = reader(file)) {
                    KernelLogParser p = new KernelLogParser(l -> n[0]++);
                    for (String s; (s = in.readLine()) != null; ) {
                        p.accept(s);
                    }
                    p.finish();
                }
                return n[0] + " lines";
            });
            time(tag + " lines+events+oom ", mb, () -> {
                try (BufferedReader in = reader(file)) {
                    KernelLogScan scan = KernelLogScan.scan(in, rules);
                    long complete = scan.oomReports().stream().filter(OomReport::complete).count();
                    return scan.events().size() + " events, " + scan.oomReports().size() + " OOM reports ("
                            + complete + " complete)";
                }
            });
        }
    }

    interface Work {
        String run() throws Exception;
    }

    static BufferedReader reader(Path file) throws Exception {
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8), 1 << 16);
    }

    static void time(String label, double mb, Work w) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpu0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        String what = w.run();
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
        System.out.printf("%s %7.2f s wall %7.1f MB/s | %7.2f s cpu %7.1f MB/s per CPU-second | %s%n",
                label, wall, mb / wall, cpu, mb / cpu, what);
    }
}
