package dev.nodedoctor.report;

import dev.nodedoctor.sample.CgroupDelta;
import dev.nodedoctor.sample.Delta;
import dev.nodedoctor.sample.HostDelta;
import dev.nodedoctor.sample.ProcessDelta;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The `top` screen: a host line, then processes and cgroups sorted by CPU, in the columns pidstat and
 * docker stats use (CPU in percent of one core).
 */
public final class TopTable {
    private TopTable() {
    }

    /** One `top --json` line. */
    public record Frame(String time, double intervalSeconds, HostSummary host, List<ProcessDelta> processes,
                        List<Row> cgroups) {
    }

    /** A cgroup row with its Kubernetes identity when the path has one. */
    public record Row(String path, String pod, double cpuPercent, double userPercent, double systemPercent,
                      double limitCores, double throttledPercent, double throttledMsPerSecond, long tasks,
                      double cpuPressureSomePercent) {
    }

    public static Row row(CgroupDelta g, Function<String, String> podLabel) {
        return new Row(g.path(), podLabel.apply(g.path()), g.cpuPercent(), g.userPercent(), g.systemPercent(),
                g.limitCores(), 100 * g.throttlingRatio(), g.throttledMsPerSecond(), g.tasks(), g.cpuPressureSome());
    }

    public static void printHost(HostDelta h, double seconds, PrintWriter out) {
        if (h == null) {
            out.println("host: /proc/stat unreadable");
            return;
        }
        out.printf(Locale.ROOT, "%%Cpu(s) over %.1fs: %5.1f us %5.1f sy %5.1f ni %5.1f id %5.1f wa %5.1f hi %5.1f si %5.1f st"
                        + "   load %s   cs %.0f/s%s%n",
                seconds, h.all().user(), h.all().system(), h.all().nice(), h.all().idle(), h.all().iowait(),
                h.all().irq(), h.all().softirq(), h.all().steal(),
                h.load() == null ? "-" : String.format(Locale.ROOT, "%.2f", h.load().one()),
                h.contextSwitchesPerSecond(),
                h.cpuPressureSome() < 0 ? "" : String.format(Locale.ROOT, "   psi cpu some %.1f%%", h.cpuPressureSome()));
    }

    public static void printProcesses(List<ProcessDelta> rows, int limit, Function<String, String> podLabel, PrintWriter out) {
        out.println(String.format(Locale.ROOT, "%8s %6s %6s %6s %5s %8s %8s %8s  %-24s %s",
                "PID", "%CPU", "%usr", "%sys", "THR", "RUNQms/s", "SCHED/s", "RSS-MB", "POD/CGROUP", "COMMAND"));
        int n = 0;
        for (ProcessDelta p : rows) {
            if (limit > 0 && n++ >= limit) {
                break;
            }
            String where = p.cgroup() == null ? "-" : podLabel.apply(p.cgroup());
            if (where == null) {
                where = p.cgroup();
            }
            out.println(String.format(Locale.ROOT, "%8d %6.1f %6.1f %6.1f %5d %8s %8s %8s  %-24s %s",
                    p.pid(), p.cpuPercent(), p.userPercent(), p.systemPercent(), p.threads(),
                    num(p.runQueueDelayMsPerSecond()), num(p.schedulesPerSecond()), p.rssKb() < 0 ? "-" : String.format(Locale.ROOT, "%.1f", p.rssKb() / 1024.0),
                    Text.cut(where, 24), Text.cut(command(p), 60)));
        }
    }

    public static void printCgroups(List<Row> rows, int limit, PrintWriter out) {
        out.println(String.format(Locale.ROOT, "%6s %6s %6s %7s %7s %8s %6s  %s",
                "%CPU", "%usr", "%sys", "LIMIT", "%THROT", "THRms/s", "TASKS", "CGROUP (POD)"));
        int n = 0;
        for (Row r : rows) {
            if (limit > 0 && n++ >= limit) {
                break;
            }
            out.println(String.format(Locale.ROOT, "%6s %6s %6s %7s %7s %8s %6s  %s%s",
                    num(r.cpuPercent()), num(r.userPercent()), num(r.systemPercent()),
                    r.limitCores() > 0 ? String.format(Locale.ROOT, "%.2f", r.limitCores()) : "-",
                    r.limitCores() > 0 ? String.format(Locale.ROOT, "%.0f", r.throttledPercent()) : "-",
                    r.limitCores() > 0 ? num(r.throttledMsPerSecond()) : "-",
                    r.tasks() < 0 ? "-" : String.valueOf(r.tasks()), r.path(),
                    r.pod() == null ? "" : "  (" + r.pod() + ")"));
        }
    }

    private static String command(ProcessDelta p) {
        if (p.cmdline() == null || p.cmdline().isEmpty()) {
            return "[" + p.name() + "]";
        }
        return p.cmdline();
    }

    private static String num(double v) {
        return v < 0 ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    public static void printFrame(Delta d, List<Row> cgroupRows, boolean processes, boolean cgroups, int limit,
                                  Function<String, String> podLabel, PrintWriter out) {
        printHost(d.host(), d.seconds(), out);
        if (processes) {
            out.println();
            printProcesses(d.processes(), limit, podLabel, out);
        }
        if (cgroups) {
            out.println();
            printCgroups(cgroupRows, limit, out);
        }
        out.flush();
    }
}
