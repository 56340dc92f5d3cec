package dev.nodedoctor.probe;

import java.time.Instant;
import java.util.List;

/**
 * What a {@link HiccupMeter} saw: how much later than asked a sleeping thread woke up, in microseconds.
 * Percentiles include the coordinated-omission correction (a 200 ms stall of a 1 ms sleeper also counts the
 * 199 wake-ups it prevented, as jHiccup does), so p99.9 is what a request arriving at a random moment waits.
 *
 * @param seconds        how long the meter ran
 * @param intervalMicros how long the thread asked to sleep each time
 * @param wakeups        real wake-ups measured (the corrected histogram holds more values)
 * @param worst          the longest stalls, longest first, with the time they ended
 * @param meterCpuPercent CPU the meter thread itself used, percent of one core (its cost)
 * @param gcMillis       JVM garbage-collection time during the window: a GC pause of this JVM also delays the
 *                       meter, so hiccups no longer than this may be our own
 */
public record HiccupReport(double seconds, long intervalMicros, long wakeups, long p50Micros, long p99Micros,
                           long p999Micros, long maxMicros, List<Stall> worst, double meterCpuPercent,
                           long gcMillis) {

    public HiccupReport {
        worst = List.copyOf(worst);
    }

    /** One late wake-up: it ended at {@code at} (ISO-8601, UTC) and came {@code micros} later than asked. */
    public record Stall(String at, long micros) {
        public Stall(Instant at, long micros) {
            this(at.toString(), micros);
        }

        public Instant instant() {
            return Instant.parse(at);
        }
    }
}
