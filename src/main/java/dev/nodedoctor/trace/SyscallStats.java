package dev.nodedoctor.trace;

import java.util.Map;

/**
 * One system call over a trace.
 *
 * @param calls        completed calls (an unfinished call counts when it resumes)
 * @param errors       calls that returned an error
 * @param errnos       errors by errno name ({@code ETIMEDOUT} → 2612); empty when the source has no errno (a
 *                     {@code strace -c} table only counts errors)
 * @param seconds      time in the call: wall time summed from {@code -T} for line output, the table's
 *                     "seconds" column (system time, or wall time with {@code -w}) for a {@code -c} table;
 *                     NaN when the source has no times
 * @param maxSeconds   the longest single call ({@code -T}), NaN when unknown
 */
public record SyscallStats(String name, long calls, long errors, Map<String, Long> errnos, double seconds,
                           double maxSeconds) {

    public SyscallStats {
        errnos = Map.copyOf(errnos);
    }

    /** Mean time per call in microseconds, NaN when unknown. */
    public double meanMicros() {
        return calls == 0 || Double.isNaN(seconds) ? Double.NaN : seconds * 1e6 / calls;
    }

    /** Errors whose errno is {@code errno}; 0 when errnos are unknown. */
    public long errors(String errno) {
        return errnos.getOrDefault(errno, 0L);
    }
}
