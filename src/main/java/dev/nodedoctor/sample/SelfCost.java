package dev.nodedoctor.sample;

import dev.nodedoctor.sys.Cursor;
import dev.nodedoctor.sys.KernelFileException;
import dev.nodedoctor.sys.KernelFiles;

import java.time.Duration;

/**
 * What nodedoctor itself costs: CPU time and resident memory of this JVM. The agent must not become the
 * problem it diagnoses, so every report says what the run cost. Always this process on this machine, whatever
 * --root says.
 *
 * @param cpu     CPU time used by this process since it started (JIT and start-up included)
 * @param rssKib  resident memory now
 */
public record SelfCost(Duration cpu, long rssKib) {

    private static final long PAGE_KIB = 4; // statm counts pages; 4 KiB on x86-64 and arm64 defaults

    public static SelfCost now(KernelFiles live) {
        Duration cpu = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
        long rss = -1;
        try {
            rss = live.read("/proc/self/statm", (data, length) -> {
                Cursor c = new Cursor(data, length);
                c.nextLong(); // size
                return c.nextLong() * PAGE_KIB;
            });
        } catch (KernelFileException e) {
            // not Linux /proc: leave unknown
        }
        return new SelfCost(cpu, rss);
    }

    /** CPU used between two readings, in percent of one core over {@code seconds}. */
    public double percentOfCoreSince(SelfCost before, double seconds) {
        return seconds <= 0 ? 0 : (cpu.toNanos() - before.cpu.toNanos()) / 1e7 / seconds;
    }
}
