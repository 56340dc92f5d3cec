import dev.nodedoctor.trace.StraceParser;
import dev.nodedoctor.trace.TraceSummary;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Parse throughput of nodedoctor's strace parser: the whole file, from disk (page cache) to the summary, as
 * `nodedoctor strace parse FILE` does it. Two warm-up runs, then RUNS measured runs; prints MB/s (10^6 bytes).
 * Run: java -cp target/classes bench/strace/ParseBench.java FILE [RUNS]
 */
public class ParseBench {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        double mb = Files.size(file) / 1e6;
        double[] secs = new double[runs];
        TraceSummary last = null;
        for (int i = -2; i < runs; i++) {
            long t0 = System.nanoTime();
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                last = StraceParser.parse(in, file.toString());
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "  run %d: %.2f s%s%n", i + 3, s, i < 0 ? " (warm-up)" : "");
            if (i >= 0) {
                secs[i] = s;
            }
        }
        Arrays.sort(secs);
        double median = secs[runs / 2];
        System.out.printf(Locale.ROOT, "nodedoctor StraceParser: %.1f MB in %.2f s (median of %d) = %.0f MB/s; "
                        + "%d lines, %d syscalls, %d calls, %d unparsed%n", mb, median, runs, mb / median,
                last.lines(), last.syscalls().size(), last.totalCalls(), last.unparsed());
    }
}
