package dev.nodedoctor.report;

import dev.nodedoctor.kernel.KernelEvent;
import dev.nodedoctor.kernel.KernelLogScan;
import dev.nodedoctor.kernel.OomReport;

import java.io.PrintWriter;
import java.util.List;

/** The {@code kernel-log} table: one row per recognised event, then one line per OOM report. */
public final class KernelLogTable {
    private KernelLogTable() {
    }

    public static void print(KernelLogScan scan, List<KernelEvent> events, String source, PrintWriter out) {
        if (events.isEmpty()) {
            out.println("no matching kernel events in " + source + " (" + scan.lines() + " lines)");
        } else {
            int timeWidth = 4;
            int kindWidth = 4;
            for (KernelEvent e : events) {
                timeWidth = Math.max(timeWidth, e.line().timeLabel().length());
                kindWidth = Math.max(kindWidth, e.kind().length());
            }
            out.println(Text.pad("TIME", timeWidth) + "  " + Text.pad("KIND", kindWidth) + "  " + Text.pad("SEVERITY", 8)
                    + "  MESSAGE");
            for (KernelEvent e : events) {
                out.println(Text.pad(e.line().timeLabel(), timeWidth) + "  " + Text.pad(e.kind(), kindWidth) + "  "
                        + Text.pad(e.severity().name().toLowerCase(java.util.Locale.ROOT), 8) + "  " + e.text().strip());
            }
        }
        for (OomReport r : scan.oomReports()) {
            StringBuilder sb = new StringBuilder("OOM ");
            sb.append(r.kind().name().toLowerCase(java.util.Locale.ROOT));
            if (r.victim() != null) {
                sb.append(": killed ").append(r.victim().pid()).append(" (").append(r.victim().comm()).append(")");
            }
            if (r.oomMemcg() != null) {
                sb.append(" limit of ").append(r.oomMemcg());
            }
            if (r.memory() != null) {
                sb.append(" ").append(r.memory().usageKb()).append("kB/").append(r.memory().limitKb()).append("kB");
            }
            sb.append(", lines ").append(r.firstLine()).append("-").append(r.lastLine());
            if (!r.complete()) {
                sb.append(" [incomplete: ").append(String.join("; ", r.problems())).append("]");
            }
            out.println(sb);
        }
        for (String note : scan.notes()) {
            out.println("note: " + note);
        }
    }
}
