package dev.nodedoctor.diagnose;

import dev.nodedoctor.trace.SyscallStats;
import dev.nodedoctor.trace.TraceSummary;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code syscall.error-storm}: a system call fails at a high rate — a retry loop on ENOENT/EAGAIN/ECONNREFUSED,
 * polling a file that is not there, a non-blocking read spun on. futex ETIMEDOUT is left to
 * {@code syscall.futex-timeouts}, which explains it better.
 */
public final class SyscallErrorStormRule extends ConfiguredRule {
    public static final String ID = "syscall.error-storm";

    public static final Threshold PER_SECOND = new Threshold("syscall.error-storm.per-second", 100,
            "failed calls of one syscall per second of trace",
            "nodedoctor: a healthy service fails a few calls per second at most (a cache miss on stat, EAGAIN "
                    + "in an event loop that then waits); 100/s is a loop retrying");
    public static final Threshold RATIO = new Threshold("syscall.error-storm.ratio", 0.5,
            "share of the calls of that syscall that fail, 0..1",
            "nodedoctor: when most calls of a kind fail, the failing is the pattern, not noise");
    public static final Threshold MIN_COUNT = new Threshold("syscall.error-storm.min-count", 1000,
            "failed calls of one syscall when the trace has no timestamps (a lone -c table)",
            "nodedoctor: 100/s over the usual 10 s trace");
    static final int MAX_REPORTED = 3;


    public SyscallErrorStormRule(Thresholds thresholds) {
        super(ID, thresholds);
    }


    @Override
    public List<Finding> evaluate(Observations obs) {
        TraceSummary t = obs.trace().get().orElse(null);
        if (t == null) {
            return List.of();
        }
        List<Finding> out = new ArrayList<>();
        List<SyscallStats> byErrors = new ArrayList<>(t.syscalls());
        byErrors.sort(Comparator.comparingLong(this::errors).reversed());
        for (SyscallStats s : byErrors) {
            long errors = errors(s);
            if (errors == 0 || out.size() == MAX_REPORTED) {
                break;
            }
            double rate = TraceRules.rate(errors, t);
            double ratio = (double) errors / s.calls();
            boolean many = Double.isNaN(rate) ? errors >= value(MIN_COUNT) : rate >= value(PER_SECOND);
            if (many && ratio >= value(RATIO)) {
                out.add(finding(t, s, errors, rate, ratio));
            }
        }
        return out;
    }

    /** Errors that this rule judges: all, minus futex timeouts (syscall.futex-timeouts tells those). */
    private long errors(SyscallStats s) {
        boolean timedWaits = s.name().equals("futex") || s.name().equals("restart_syscall");
        if (timedWaits && s.errnos().isEmpty()) {
            return 0; // a -c table: syscall.futex-timeouts reads these errors
        }
        return timedWaits ? s.errors() - s.errors("ETIMEDOUT") : s.errors();
    }

    private Finding finding(TraceSummary t, SyscallStats s, long errors, double rate, double ratio) {
        String src = t.source();
        List<Evidence> ev = new ArrayList<>();
        ev.add(Evidence.of(s.name() + " failed", errors, "of " + s.calls() + " calls", src));
        if (!Double.isNaN(rate)) {
            ev.add(Evidence.of("failures per second", rate, "/s", src));
        }
        String top = "unknown";
        if (s.errnos().isEmpty()) {
            ev.add(Evidence.text("errno", "not in a -c table: run the line trace (nodedoctor strace -p PID)", src));
        } else {
            top = s.errnos().entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(top);
            s.errnos().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(4)
                    .forEach(e -> ev.add(Evidence.of("errno " + e.getKey(), e.getValue(), "calls", src)));
        }
        String title = String.format(Locale.ROOT, "%s fails %s of the time (%s errors%s%s)", s.name(),
                TraceRules.pct(ratio), Evidence.format(errors),
                Double.isNaN(rate) ? "" : String.format(Locale.ROOT, ", %.0f/s", rate),
                top.equals("unknown") ? "" : ", mostly " + top);
        String why = "A system call that fails hundreds of times per second is a loop retrying something that "
                + "does not work: " + meaning(top) + " Each failure still costs a kernel entry and usually a "
                + "wake-up, so the process burns system time without progress.";
        String fix = "See which call and arguments fail: `strace -f -tt -T -e trace=" + s.name() + " -e status=failed -p "
                + (t.pid() > 0 ? t.pid() : "PID") + "` for a few seconds, then fix the cause (the missing path, the "
                + "refused endpoint) or make the loop back off instead of retrying at once.";
        return new Finding(ID, Severity.WARNING, TraceRules.subject(t), title, ev, why, fix,
                List.of("man 3 errno", "man 1 strace (-e status=failed)"), List.of(),
                Double.isNaN(rate) ? errors : rate);
    }

    static String meaning(String errno) {
        return switch (errno) {
            case "ENOENT" -> "ENOENT means a path that does not exist is looked up again and again (a config "
                    + "or socket file, a cgroup that is gone).";
            case "EAGAIN" -> "EAGAIN means a non-blocking call had nothing to do: an event loop spinning instead "
                    + "of waiting in epoll, or futex contention (the lock value changed before the wait).";
            case "ECONNREFUSED" -> "ECONNREFUSED means nothing listens where it connects: a down dependency.";
            case "EINTR" -> "EINTR means signals interrupt the call, e.g. a profiler or timer signal storm.";
            case "EBADF" -> "EBADF means it uses a file descriptor that is closed: a bug.";
            case "EACCES", "EPERM" -> errno + " means it is refused by permissions, every time.";
            case "ETIMEDOUT" -> "ETIMEDOUT means waits expire without the awaited event.";
            default -> errno.equals("unknown") ? "the -c table does not say which errno."
                    : errno + " repeated (see man 3 errno).";
        };
    }
}
