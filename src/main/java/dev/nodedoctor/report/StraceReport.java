package dev.nodedoctor.report;

import dev.nodedoctor.diagnose.Evidence;
import dev.nodedoctor.diagnose.Finding;
import dev.nodedoctor.trace.FileTime;
import dev.nodedoctor.trace.SyscallStats;
import dev.nodedoctor.trace.ThreadStats;
import dev.nodedoctor.trace.TraceSummary;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The `strace` report: the syscall table (the -c view, with errnos), threads, files, then findings. */
public final class StraceReport {
    static final int TOP_SYSCALLS = 15;
    static final int TOP_THREADS = 8;
    static final int TOP_FILES = 5;

    /** The `strace --json` document. Field names are part of the interface: add, never rename. */
    public record Json(TraceSummary trace, List<Finding> findings) {
    }

    private StraceReport() {
    }

    public static void print(TraceSummary t, List<Finding> findings, PrintWriter out) {
        long calls = t.totalCalls();
        long errors = t.syscalls().stream().mapToLong(SyscallStats::errors).sum();
        out.printf(Locale.ROOT, "%s%s: %d calls, %d errors%s%n", t.source(),
                Double.isNaN(t.seconds()) ? "" : String.format(Locale.ROOT, " over %.1f s", t.seconds()), calls, errors,
                t.threads().size() > 1 ? ", " + t.threads().size() + " threads" : "");
        if (!t.fromLines() && !t.tableStats().isEmpty()) {
            out.println("(a -c table: times are the table's, errnos unknown)");
        }
        out.println();
        double total = t.totalSeconds();
        out.println(Text.pad("syscall", 17) + col("calls", 10) + col("errors", 9) + col("total s", 12)
                + col("mean µs", 11) + col("% time", 7) + "  errnos");
        for (SyscallStats s : t.syscalls().stream().limit(TOP_SYSCALLS).toList()) {
            out.println(Text.pad(s.name(), 17) + col(Long.toString(s.calls()), 10)
                    + col(s.errors() == 0 ? "" : Long.toString(s.errors()), 9) + col(num("%.6f", s.seconds()), 12)
                    + col(num("%.1f", s.meanMicros()), 11)
                    + col(total > 0 ? num("%.2f", 100 * s.seconds() / total) : "", 7) + "  " + errnos(s.errnos()));
        }
        if (t.syscalls().size() > TOP_SYSCALLS) {
            out.println("… " + (t.syscalls().size() - TOP_SYSCALLS) + " more (--json lists all)");
        }
        if (t.futexWaits() > 0) {
            out.printf(Locale.ROOT, "%nfutex waits: %d, timed out (ETIMEDOUT): %d (%.0f%%)%n", t.futexWaits(),
                    t.futexTimeouts(), 100.0 * t.futexTimeouts() / t.futexWaits());
        }
        if (t.threads().size() > 1) {
            out.println();
            out.println(Text.pad("thread", 10) + col("calls", 10) + col("errors", 9) + col("in calls s", 12));
            for (ThreadStats th : t.threads().stream().limit(TOP_THREADS).toList()) {
                out.println(Text.pad(th.tid() == 0 ? "(no tid)" : Integer.toString(th.tid()), 10)
                        + col(Long.toString(th.calls()), 10) + col(Long.toString(th.errors()), 9)
                        + col(num("%.3f", th.seconds()), 12));
            }
            if (t.threads().size() > TOP_THREADS) {
                out.println("… " + (t.threads().size() - TOP_THREADS) + " more threads");
            }
        }
        List<FileTime> files = t.files().stream().limit(TOP_FILES).toList();
        if (!files.isEmpty()) {
            out.println();
            out.println("I/O time per file descriptor:");
            for (FileTime f : files) {
                out.println("  " + Text.pad(f.syscall() + " fd " + f.fd(), 18) + Text.padLeft(f.calls() + " calls", 13)
                        + Text.padLeft(num("%.1f", f.meanMicros()) + " µs mean", 16) + "  "
                        + Text.cut(f.path() == null ? "(file unknown)" : f.path(), 50));
            }
        }
        out.println();
        if (findings.isEmpty()) {
            out.println("No findings: no futex-timeout loop, error storm or slow call in this trace.");
            out.println();
        }
        for (int i = 0; i < findings.size(); i++) {
            FindingsReport.print(i + 1, findings.get(i), out);
        }
        if (!t.notes().isEmpty()) {
            out.println("Notes:");
            for (String n : t.notes()) {
                for (String line : Text.wrap("- " + n, Text.WIDTH)) {
                    out.println("  " + line);
                }
            }
        }
        out.flush();
    }

    /** A right-aligned cell that keeps a space before it even when the value is wider than the column. */
    private static String col(String value, int width) {
        return " " + Text.padLeft(value, width - 1);
    }

    private static String num(String format, double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
    }

    private static String errnos(Map<String, Long> errnos) {
        return errnos.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> e.getKey() + " " + Evidence.format(e.getValue())).collect(Collectors.joining(", "));
    }
}
