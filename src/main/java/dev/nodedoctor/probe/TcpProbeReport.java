package dev.nodedoctor.probe;

import java.util.List;

/**
 * What {@code probe tcp} measured: the outcome of every connect, the time of the successful ones as
 * percentiles, and how the connects fall into SYN-retransmit modes.
 *
 * @param target           as the user gave it (HOST:PORT)
 * @param address          the address it resolved to and was connected to
 * @param linearTimeouts   net.ipv4.tcp_syn_linear_timeouts used for the modes (0 = exponential back-off)
 * @param latency          connect times of the successful connects, null if none succeeded
 * @param modes            answered connects (connected or refused) by SYN retries, fast first
 * @param retransmitShare  share (0..1) of answered-or-timed-out connects that needed at least one SYN retry
 *                         (a timed-out connect needed them all)
 * @param retriesSeen      SYN retries implied by the modes (a lower bound: timed-out connects count 1)
 * @param counters         the prober's own namespace's TCP counters over the run, null if unreadable
 * @param errors           distinct error texts with how often each happened
 */
public record TcpProbeReport(String target, String address, int linearTimeouts, int attempts, int connected,
                             int refused, int timedOut, int failed, Latency latency, List<Mode> modes,
                             double retransmitShare, long retriesSeen, TcpCounters counters, List<ErrorCount> errors,
                             List<Attempt> connects) {

    public TcpProbeReport {
        modes = List.copyOf(modes);
        errors = List.copyOf(errors);
        connects = List.copyOf(connects);
    }

    public enum Outcome { CONNECTED, REFUSED, TIMEOUT, UNREACHABLE, FAILED }

    /** One connect: its outcome, how long it took, its SYN-mode (retries, -1 = slow/no mode) and the error. */
    public record Attempt(int seq, Outcome outcome, double millis, int retries, String error) {
    }

    /** Milliseconds. */
    public record Latency(double min, double p50, double p90, double p99, double max) {
    }

    /** @param retries 0 = fast, k = k SYN retries, -1 = slow but near no retransmit time */
    public record Mode(String mode, int retries, int count, double share, double medianMillis) {
    }

    public record ErrorCount(String error, int count) {
    }

    /** Connects that got an answer (connected or refused) or timed out: the base of the retransmit share. */
    public int judged() {
        return connected + refused + timedOut;
    }
}
