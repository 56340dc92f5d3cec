package dev.nodedoctor.diagnose;

import dev.nodedoctor.probe.HiccupReport;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code kernel.hiccup}: a thread that asked to sleep a few ms woke up much later. Every thread on the node that
 * waits for a timer or a wake-up (request handlers, heartbeats, the kernel's own TCP timers in softirq) is
 * delayed the same way, so the stall shows up as latency spikes nobody can find in the application.
 */
public final class HiccupRule extends ConfiguredRule {
    public static final String ID = "kernel.hiccup";
    public static final Threshold P999_MS = new Threshold("kernel.hiccup.p999-ms", 10,
            "99.9th percentile of the wake-up delay of the meter's sleeper, milliseconds",
            "nodedoctor: a runnable task gets the CPU within one scheduling period (CFS sched_latency 6 ms; "
                    + "EEVDF base_slice 0.75 ms × (1 + log2 CPUs)); cyclictest on an idle generic kernel reports "
                    + "maxima from tens of µs to a few ms (rt-tests, OSADL latency plots)");
    public static final Threshold MAX_MS = new Threshold("kernel.hiccup.max-ms", 100,
            "longest wake-up delay in the window, milliseconds",
            "nodedoctor: one CFS bandwidth period (100 ms), the longest a throttled group should wait; "
                    + "0.1 s is where people notice delay");
    public static final Threshold CRITICAL_MAX_MS = new Threshold("kernel.hiccup.critical-max-ms", 1000,
            "longest wake-up delay for a critical finding, milliseconds",
            "RFC 6298 initial retransmission timeout (1 s): stalls this long break timeouts set in seconds");
    /** Fewer wake-ups than this are too few to judge at all (2 s at the default 20 ms interval). */
    static final long MIN_WAKEUPS = 100;
    /** A 99.9th percentile needs a thousand values to mean anything; below that only the maximum is judged. */
    static final long MIN_WAKEUPS_P999 = 1000;


    public HiccupRule(Thresholds thresholds) {
        super(ID, thresholds);
    }


    @Override
    public List<Finding> evaluate(Observations obs) {
        return obs.hiccup().get().flatMap(this::judge).map(List::of).orElse(List.of());
    }

    /** The finding for one meter run, if it saw stalls over the thresholds; also used by `probe hiccup`. */
    public Optional<Finding> judge(HiccupReport r) {
        if (r.wakeups() < MIN_WAKEUPS) {
            return Optional.empty();
        }
        double p999 = r.p999Micros() / 1000.0;
        double max = r.maxMicros() / 1000.0;
        boolean overP999 = r.wakeups() >= MIN_WAKEUPS_P999 && p999 >= value(P999_MS);
        boolean overMax = max >= value(MAX_MS);
        if (!overP999 && !overMax) {
            return Optional.empty();
        }
        Severity severity = max >= value(CRITICAL_MAX_MS) ? Severity.CRITICAL : Severity.WARNING;
        String source = "nodedoctor hiccup meter";
        List<Evidence> ev = new ArrayList<>();
        ev.add(Evidence.of("wake-up delay p50", r.p50Micros() / 1000.0, "ms", source));
        ev.add(Evidence.of("wake-up delay p99", r.p99Micros() / 1000.0, "ms", source));
        ev.add(Evidence.of("wake-up delay p99.9", p999, "ms", source));
        ev.add(Evidence.of("wake-up delay max", max, "ms", source));
        ev.add(Evidence.of("wake-ups measured", r.wakeups(), String.format(Locale.ROOT, "of %d µs sleeps in %.1f s",
                r.intervalMicros(), r.seconds()), source));
        for (HiccupReport.Stall s : r.worst()) {
            if (s.micros() >= 1000) {
                ev.add(Evidence.of("stall at " + s.at(), s.micros() / 1000.0, "ms", source));
            }
        }
        periodOf(r.worst()).ifPresent(p -> ev.add(Evidence.of("stalls repeat every", p, "s", source)));
        if (r.gcMillis() > 0) {
            ev.add(Evidence.of("of which nodedoctor's own GC", r.gcMillis(), "ms", "JVM GarbageCollectorMXBean"));
        }
        String title = String.format(Locale.ROOT,
                "Threads wake up late: a %s ms sleep took up to %.0f ms longer (p99.9 %.1f ms)",
                Evidence.format(r.intervalMicros() / 1000.0), max, p999);
        return Optional.of(new Finding(ID, severity, Subjects.HOST, title, ev,
                "The meter thread sleeps for " + r.intervalMicros() + " µs again and again and records how much "
                        + "later it wakes. It needs almost no CPU, so a late wake-up means it could not run: "
                        + "the CPUs were busy with other tasks or with the kernel (interrupts, softirqs, a slow "
                        + "read of cgroup statistics under a lock), nodedoctor's cgroup was CPU-throttled, or the "
                        + "whole machine was paused (a VM's steal time, a live migration). Every other waiting "
                        + "thread on the node was delayed alike: request timeouts, missed heartbeats, TCP timers.",
                "Look at the other findings of this run first: cpu.throttled (the meter runs in nodedoctor's "
                        + "cgroup: give it CPU or run it outside a limit), cpu.softirq, cpu.steal, cpu.contention "
                        + "and slow kernel reads. If the stalls repeat at a fixed period, find the periodic reader: "
                        + "an agent that reads cgroup memory.stat or /proc on that period (kubelet/cAdvisor "
                        + "housekeeping every 10-15 s, node_exporter, a sidecar) over thousands of dying cgroups "
                        + "holds the CPU in the kernel; reduce the dying cgroups or that agent's frequency. "
                        + "Compare with `cyclictest -m -p 90 -i 1000 -D 60` (rt-tests) to see the kernel's own "
                        + "latency without the JVM.",
                List.of("https://github.com/giltene/jHiccup", "https://wiki.linuxfoundation.org/realtime/documentation/howto/tools/cyclictest/start"),
                List.of(), max));
    }

    /** If the worst stalls (at least three) are evenly spaced, the spacing in seconds. */
    static Optional<Double> periodOf(List<HiccupReport.Stall> stalls) {
        List<Instant> at = stalls.stream().filter(s -> s.micros() >= 1000).map(HiccupReport.Stall::instant).sorted().toList();
        if (at.size() < 3) {
            return Optional.empty();
        }
        double min = Double.MAX_VALUE;
        double max = 0;
        double sum = 0;
        for (int i = 1; i < at.size(); i++) {
            double gap = Duration.between(at.get(i - 1), at.get(i)).toNanos() / 1e9;
            min = Math.min(min, gap);
            max = Math.max(max, gap);
            sum += gap;
        }
        return min >= 0.05 && max <= min * 1.2 ? Optional.of(sum / (at.size() - 1)) : Optional.empty();
    }
}
