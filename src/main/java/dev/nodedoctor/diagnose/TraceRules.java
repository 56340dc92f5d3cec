package dev.nodedoctor.diagnose;

import dev.nodedoctor.trace.TraceSummary;

import java.util.Locale;

/** What the three syscall rules share: how a trace names its subject and its source. */
final class TraceRules {
    private TraceRules() {
    }

    static String subject(TraceSummary t) {
        if (t.pid() <= 0) {
            return "trace " + t.source();
        }
        return t.process() == null ? "pid " + t.pid() : Subjects.process(t.pid(), t.process());
    }

    /** Per second over the trace window, or NaN when the trace has no clock (a lone -c table). */
    static double rate(long count, TraceSummary t) {
        return Double.isNaN(t.seconds()) || t.seconds() <= 0 ? Double.NaN : count / t.seconds();
    }

    static String pct(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }
}
