package dev.nodedoctor.probe;

import java.util.Locale;

/**
 * Recognises SYN retransmits in connect times. A client whose SYN (or the SYN-ACK) is lost sends the SYN
 * again after the initial retransmission timeout, 1 s (TCP_TIMEOUT_INIT, RFC 6298 §2.1). Classic Linux
 * doubles the timeout after each retry, so connects that needed retries take ≈ 1, 3, 7, 15 s. Linux 6.x
 * with {@code net.ipv4.tcp_syn_linear_timeouts = L} (default 4) keeps the timeout at 1 s for the first L
 * retries and only then doubles it: ≈ 1, 2, 3, 4, 5, 7, 11 s. Each connect is put in the mode of the
 * nearest expected retransmit time, after subtracting the round trip that fast connects show.
 */
public final class SynModes {
    /** A connect this far from every expected time is "slow" but not a SYN-retransmit mode. */
    static final double TOLERANCE_SECONDS = 0.35;
    private static final int MAX_RETRIES = 8;

    private final double[] times;
    private final int linearTimeouts;

    /** @param linearTimeouts {@code net.ipv4.tcp_syn_linear_timeouts}; 0 for kernels without it (exponential) */
    public SynModes(int linearTimeouts) {
        this.linearTimeouts = Math.max(0, linearTimeouts);
        this.times = retransmitTimes(this.linearTimeouts, MAX_RETRIES);
    }

    public int linearTimeouts() {
        return linearTimeouts;
    }

    /**
     * Seconds after the first SYN at which retry k (1-based, index k-1) is sent, as tcp_retransmit_timer
     * computes them: the timeout stays 1 s while the retry count is ≤ L, then doubles (capped at 120 s).
     */
    public static double[] retransmitTimes(int linearTimeouts, int retries) {
        double[] t = new double[retries];
        double rto = 1;
        double at = 0;
        for (int k = 1; k <= retries; k++) {
            at += rto;
            t[k - 1] = at;
            if (k > linearTimeouts) {
                rto = Math.min(rto * 2, 120);
            }
        }
        return t;
    }

    /** Expected time of retry k (1-based). */
    public double timeOf(int retries) {
        return retries <= 0 ? 0 : times[retries - 1];
    }

    /**
     * The number of SYN retries a connect of {@code seconds} needed: 0 (fast), k ≥ 1, or -1 when it is slow
     * but near no retransmit time (a slow server, a long queue, a round trip over a second).
     *
     * @param baseSeconds the round trip of a connect without retries (median of the fast ones), subtracted first
     */
    public int classify(double seconds, double baseSeconds) {
        double t = seconds - Math.max(0, baseSeconds);
        if (t < times[0] - TOLERANCE_SECONDS) {
            return 0;
        }
        for (int k = 1; k <= times.length; k++) {
            double tol = Math.max(TOLERANCE_SECONDS, 0.1 * times[k - 1]);
            if (Math.abs(t - times[k - 1]) <= tol) {
                return k;
            }
        }
        return -1;
    }

    /** "fast", "~1 s", "~3 s", "slow (no SYN mode)". */
    public String label(int retries) {
        if (retries == 0) {
            return "fast";
        }
        if (retries < 0) {
            return "slow (no SYN mode)";
        }
        return String.format(Locale.ROOT, "~%.0f s", timeOf(retries));
    }
}
