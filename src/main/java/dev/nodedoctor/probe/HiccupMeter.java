package dev.nodedoctor.probe;

import org.HdrHistogram.Histogram;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A scheduling-latency meter in the manner of jHiccup and cyclictest: one platform thread sleeps a short
 * interval again and again and records how much later than asked it wakes. On an idle, healthy machine that
 * is tens of microseconds (timer slack, wake-up path); when the CPU is contended, the cgroup throttled, the
 * process stopped or the kernel busy with interrupts, the delay is what every other thread of every process
 * on the node would suffer too.
 * <p>
 * The thread uses {@link LockSupport#parkNanos}, a futex wait with timeout: the same path a thread pool
 * worker or a timer uses. Values are microseconds in an auto-resizing HdrHistogram with 2 significant digits
 * (1 % resolution, as jHiccup); {@code recordValueWithExpectedInterval} adds the wake-ups a long stall
 * swallowed. Start it, do the work of the window, then {@link #stop()}.
 */
public final class HiccupMeter {
    /**
     * 20 ms, not jHiccup's and cyclictest's 1 ms: each wake-up costs 30-60 µs of CPU on a busy 2-vCPU VM
     * (bench/RESULTS.md, "probes"; cyclictest pays 40-50 µs there), so 1 ms would cost ~3 % of a core and
     * even 10 ms 0.6 % — over the 0.5 % budget of an always-on meter. At 20 ms the meter thread used 0.30 %.
     * A stall is still measured to the microsecond; only stalls shorter than the interval can fall between
     * two wake-ups, and the stalls that matter here (throttling, 100 ms+ kernel stalls, the 1 s of a SYN
     * retransmit) are longer. Use --interval 1ms for a short, finer look.
     */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(20);
    private static final int KEEP_WORST = 5;

    private final long intervalNanos;
    private final Histogram histogram = new Histogram(2);
    private final Stall[] worst = new Stall[KEEP_WORST];
    private final Thread thread;
    private volatile boolean running = true;
    private long startNanos;
    private long stopNanos;
    private Instant startWall;
    private long wakeups;
    private long threadCpuNanos = -1;
    private long gcMillisAtStart;

    private record Stall(long endNanos, long micros) {
    }

    private HiccupMeter(Duration interval) {
        if (interval.isNegative() || interval.isZero() || interval.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("the hiccup interval must be between 1 ns and 1 s, not " + interval);
        }
        this.intervalNanos = interval.toNanos();
        // the worst list starts full of zero stalls so the loop compares without null checks
        java.util.Arrays.fill(worst, new Stall(0, 0));
        this.thread = new Thread(this::loop, "nodedoctor-hiccup");
        this.thread.setDaemon(true);
        // above normal, like jHiccup's thread: we measure the scheduler, not our place among our own threads
        this.thread.setPriority(Thread.MAX_PRIORITY);
    }

    /** Starts measuring now. */
    public static HiccupMeter start(Duration interval) {
        HiccupMeter m = new HiccupMeter(interval);
        m.gcMillisAtStart = gcMillis();
        m.startWall = Instant.now();
        m.startNanos = System.nanoTime();
        m.thread.start();
        return m;
    }

    private void loop() {
        long intervalMicros = Math.max(1, intervalNanos / 1000);
        while (running) {
            long before = System.nanoTime();
            LockSupport.parkNanos(intervalNanos);
            long after = System.nanoTime();
            if (!running) {
                break; // woken by stop(), not by the timer: not a measurement
            }
            long lateMicros = Math.max(0, (after - before - intervalNanos) / 1000);
            histogram.recordValueWithExpectedInterval(lateMicros, intervalMicros);
            wakeups++;
            if (lateMicros > worst[KEEP_WORST - 1].micros()) {
                keepWorst(new Stall(after, lateMicros));
            }
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        threadCpuNanos = mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadCpuTime() : -1;
    }

    private void keepWorst(Stall s) {
        int i = KEEP_WORST - 1;
        while (i > 0 && worst[i - 1].micros() < s.micros()) {
            worst[i] = worst[i - 1];
            i--;
        }
        worst[i] = s;
    }

    /** Stops the thread, waits for it and returns what it measured. */
    public HiccupReport stop() throws InterruptedException {
        running = false;
        stopNanos = System.nanoTime();
        LockSupport.unpark(thread);
        thread.join(5_000);
        if (thread.isAlive()) {
            throw new IllegalStateException("the hiccup thread did not stop within 5 s");
        }
        // join() orders the thread's writes (histogram, worst, wakeups) before our reads
        double seconds = (stopNanos - startNanos) / 1e9;
        List<HiccupReport.Stall> stalls = new ArrayList<>();
        for (Stall s : worst) {
            if (s.micros() > 0) {
                stalls.add(new HiccupReport.Stall(startWall.plusNanos(s.endNanos() - startNanos), s.micros()));
            }
        }
        boolean any = histogram.getTotalCount() > 0;
        return new HiccupReport(seconds, intervalNanos / 1000, wakeups,
                any ? histogram.getValueAtPercentile(50) : 0, any ? histogram.getValueAtPercentile(99) : 0,
                any ? histogram.getValueAtPercentile(99.9) : 0, any ? histogram.getMaxValue() : 0, stalls,
                threadCpuNanos < 0 || seconds <= 0 ? -1 : threadCpuNanos / 1e7 / seconds,
                gcMillis() - gcMillisAtStart);
    }

    /** Runs the meter for {@code duration} on the calling thread's behalf and returns the report. */
    public static HiccupReport measure(Duration duration, Duration interval) throws InterruptedException {
        HiccupMeter m = start(interval);
        Thread.sleep(duration.toMillis());
        return m.stop();
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }
}
