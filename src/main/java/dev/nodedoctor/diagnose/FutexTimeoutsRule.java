package dev.nodedoctor.diagnose;

import dev.nodedoctor.trace.SyscallStats;
import dev.nodedoctor.trace.TraceSummary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code syscall.futex-timeouts}: the process spends its system calls in FUTEX_WAIT calls that time out. Threads
 * wait on a lock or condition with a short timeout, nothing wakes them, they wake up, find nothing to do and
 * wait again: a timed-wait loop (a Java {@code parkNanos}/{@code Object.wait(timeout)}, a Go timer, a C
 * {@code pthread_cond_timedwait}) that costs CPU and context switches for no work. The kubelet case of the
 * seeds: {@code strace -c} shows 99 % of time in futex with thousands of errors, the lines show ETIMEDOUT.
 */
public final class FutexTimeoutsRule extends ConfiguredRule {
    public static final String ID = "syscall.futex-timeouts";

    public static final Threshold PER_SECOND = new Threshold("syscall.futex-timeouts.per-second", 100,
            "FUTEX_WAIT calls that return ETIMEDOUT, per second of trace",
            "nodedoctor: timed waits in healthy services expire on the order of once per second per waiting "
                    + "thread (heartbeats, housekeeping); a hundred per second means short timeouts spinning");
    public static final Threshold MIN_COUNT = new Threshold("syscall.futex-timeouts.min-count", 1000,
            "FUTEX_WAIT timeouts in the trace when it has no timestamps (no -t/-tt/-ttt)",
            "nodedoctor: 100/s over the usual 10 s trace");


    public FutexTimeoutsRule(Thresholds thresholds) {
        super(ID, thresholds);
    }


    @Override
    public List<Finding> evaluate(Observations obs) {
        TraceSummary t = obs.trace().get().orElse(null);
        if (t == null) {
            return List.of();
        }
        // A lone -c table counts futex errors without errno; in a timed-wait loop they are the timeouts (the
        // seed case: 99 % of time in futex, thousands of errors). The finding then says it is inferred.
        boolean inferred = !t.fromLines();
        long timeouts = inferred ? t.syscall("futex").map(SyscallStats::errors).orElse(0L) : t.futexTimeouts();
        if (timeouts == 0) {
            return List.of();
        }
        double rate = TraceRules.rate(timeouts, t);
        boolean fires = Double.isNaN(rate) ? timeouts >= value(MIN_COUNT) : rate >= value(PER_SECOND);
        if (!fires) {
            return List.of();
        }
        String src = t.source();
        List<Evidence> ev = new ArrayList<>();
        if (inferred) {
            ev.add(Evidence.of("futex errors", timeouts, "calls", src));
            ev.add(Evidence.text("errno", "not in a -c table: confirm ETIMEDOUT with nodedoctor strace -p PID", src));
            return List.of(finding(t, timeouts, rate, ev, true));
        }
        ev.add(Evidence.of("FUTEX_WAIT timed out", timeouts, "calls", src));
        if (!Double.isNaN(rate)) {
            ev.add(Evidence.of("timeouts per second", rate, "/s", src));
            ev.add(Evidence.of("trace window", t.seconds(), "s", src));
        }
        ev.add(Evidence.of("FUTEX_WAIT calls", t.futexWaits(), "calls", src));
        double share = t.futexWaits() == 0 ? 0 : (double) t.futexTimeouts() / t.futexWaits();
        ev.add(Evidence.text("share that timed out", TraceRules.pct(share), src));
        SyscallStats futex = t.syscall("futex").orElse(null);
        if (futex != null) {
            long calls = t.totalCalls();
            ev.add(Evidence.text("futex share of all calls", TraceRules.pct((double) futex.calls() / Math.max(1, calls)),
                    src));
            double total = t.totalSeconds();
            if (total > 0 && !Double.isNaN(futex.seconds())) {
                ev.add(Evidence.text("futex share of syscall time", TraceRules.pct(futex.seconds() / total), src));
            }
        }
        t.threads().stream().filter(th -> th.errors() > 0).limit(3).forEach(th -> ev.add(
                Evidence.of("thread " + th.tid() + " calls (errors)", th.calls(), "(" + th.errors() + " errors)", src)));
        return List.of(finding(t, timeouts, rate, ev, false));
    }

    private Finding finding(TraceSummary t, long timeouts, double rate, List<Evidence> ev, boolean inferred) {
        String src = t.source();
        SyscallStats futex = t.syscall("futex").orElse(null);
        if (inferred && futex != null && t.totalSeconds() > 0) {
            ev.add(Evidence.text("futex share of syscall time", TraceRules.pct(futex.seconds() / t.totalSeconds()), src));
        }
        String title = inferred
                ? String.format(Locale.ROOT, "futex failed %s times: most likely timed waits expiring (a -c table "
                + "has no errno)", Evidence.format(timeouts))
                : String.format(Locale.ROOT, "%s timed futex waits expired%s: threads wait with short "
                        + "timeouts and wake up to nothing", Evidence.format(timeouts),
                Double.isNaN(rate) ? "" : String.format(Locale.ROOT, " (%.0f/s)", rate));
        String why = "Each FUTEX_WAIT that returns ETIMEDOUT is a thread that waited on a lock or condition with "
                + "a timeout and was not woken: a timed-wait loop (Java LockSupport.parkNanos, Object.wait(ms), "
                + "a scheduled executor polling an empty queue; Go timers; pthread_cond_timedwait). Hundreds per "
                + "second cost CPU and context switches without doing work, and dominate strace -c, which is why "
                + "a kubelet or JVM at high system time often shows 99% of syscall time in futex.";
        String fix = "Find which code waits: profile the process next — for the JVM `jcmd " + pidOr(t)
                + " Thread.print` (threads in TIMED_WAITING with parkNanos) or async-profiler in wall mode; for Go "
                + "`go tool pprof` on /debug/pprof/goroutine and /profile. Then lengthen the timeout, or replace "
                + "polling with a blocking wait that is signalled when there is work.";
        return new Finding(ID, Severity.WARNING, TraceRules.subject(t), title, ev, why, fix,
                List.of("man 2 futex (FUTEX_WAIT, ETIMEDOUT)", "man 1 strace (-c, -f, -T)"), List.of(),
                Double.isNaN(rate) ? timeouts : rate);
    }

    private static String pidOr(TraceSummary t) {
        return t.pid() > 0 ? Integer.toString(t.pid()) : "PID";
    }
}
