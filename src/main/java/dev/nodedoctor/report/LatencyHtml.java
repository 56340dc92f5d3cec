package dev.nodedoctor.report;

import dev.nodedoctor.accesslog.Distribution;
import dev.nodedoctor.accesslog.LatencyAnalysis;
import dev.nodedoctor.diagnose.Diagnosis;
import dev.nodedoctor.diagnose.Evidence;
import dev.nodedoctor.diagnose.Finding;

import java.util.List;
import java.util.Locale;

/**
 * `latency --html FILE`: one self-contained page (inline CSS and SVG, no script, nothing fetched) with the
 * findings, the percentile tables and a bar chart per histogram, so it can be attached to a ticket.
 */
public final class LatencyHtml {
    private static final int W = 640;
    private static final int H = 160;

    private LatencyHtml() {
    }

    public static String render(LatencyAnalysis a, Diagnosis d) {
        StringBuilder h = new StringBuilder(32 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>nodedoctor latency</title>\n<style>")
                .append("body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:60em;color:#222}")
                .append("table{border-collapse:collapse;margin:.5em 0}td,th{padding:2px 8px;text-align:right;border-bottom:1px solid #ddd}")
                .append("td:first-child,th:first-child{text-align:left}.f{border-left:4px solid #c60;padding-left:1em;margin:1em 0}")
                .append(".CRITICAL{border-color:#c00}.INFO{border-color:#06c}svg{display:block;margin:.3em 0 1.2em}")
                .append("figcaption{font-weight:600}small{color:#666}</style></head><body>\n");
        h.append("<h1>Access-log latency</h1><p><small>").append(esc(a.precision())).append("</small></p>\n");
        h.append("<h2>Findings</h2>\n");
        if (d.findings().isEmpty()) {
            h.append("<p>No findings.</p>\n");
        }
        for (Finding f : d.findings()) {
            h.append("<div class=\"f ").append(f.severity()).append("\"><p><b>").append(f.severity()).append(' ')
                    .append(esc(f.id())).append("</b> ").append(esc(f.subject())).append("<br>").append(esc(f.title()))
                    .append("</p><table>");
            for (Evidence e : f.evidence()) {
                h.append("<tr><td>").append(esc(e.name())).append("</td><td>").append(esc(e.value())).append(' ')
                        .append(esc(e.unit())).append("</td><td><small>").append(esc(e.source())).append("</small></td></tr>");
            }
            h.append("</table><p><b>why:</b> ").append(esc(f.why())).append("</p><p><b>fix:</b> ").append(esc(f.fix()))
                    .append("</p></div>\n");
        }
        for (LatencyAnalysis.Layer l : a.layers()) {
            h.append("<h2>Layer ").append(esc(l.name())).append("</h2><p>").append(l.records()).append(" requests, ")
                    .append(l.badLines()).append(" bad lines skipped</p>\n");
            table(h, LatencyReport.layerSeries(l));
            for (LatencyReport.Series s : LatencyReport.charted(l)) {
                chart(h, l.name() + " " + s.name(), s.d());
            }
        }
        if (a.join() != null) {
            h.append("<h2>Join on ").append(esc(a.join().field())).append("</h2><p>").append(a.join().complete())
                    .append(" requests in every layer</p>\n<table><tr><th>part</th><th>share of tail</th><th>p50</th><th>p99</th><th>max</th></tr>");
            for (LatencyAnalysis.Component c : a.join().components()) {
                h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.0f %%</td><td>%.3f</td><td>%.3f</td><td>%.3f</td></tr>",
                        esc(c.name()), 100 * c.share(), c.values().p50(), c.values().p99(), c.values().max()));
            }
            h.append("</table>\n");
            for (LatencyAnalysis.Hop hop : a.join().hops()) {
                h.append(String.format(Locale.ROOT, "<p>%s → %s: %d matched, %d only in %s, %d only in %s</p>",
                        esc(hop.outer()), esc(hop.inner()), hop.matched(), hop.onlyOuter(), esc(hop.outer()),
                        hop.onlyInner(), esc(hop.inner())));
                chart(h, "gap " + hop.outer() + " → " + hop.inner(), hop.gap());
            }
        }
        if (!a.notes().isEmpty() || !d.notes().isEmpty()) {
            h.append("<h2>Notes</h2><ul>");
            for (String n : a.notes()) {
                h.append("<li>").append(esc(n)).append("</li>");
            }
            for (String n : d.notes()) {
                h.append("<li>").append(esc(n)).append("</li>");
            }
            h.append("</ul>");
        }
        return h.append("</body></html>\n").toString();
    }

    private static void table(StringBuilder h, List<LatencyReport.Series> rows) {
        h.append("<table><tr><th></th><th>count</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th></tr>");
        for (LatencyReport.Series s : rows) {
            Distribution d = s.d();
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%.3f</td></tr>",
                    esc(s.name()), d.count(), d.p50(), d.p90(), d.p99(), d.p999(), d.max()));
        }
        h.append("</table>\n");
    }

    /** A bar chart of the display buckets; the last bar (hatched grey) holds everything above the range. */
    static void chart(StringBuilder h, String title, Distribution d) {
        if (d.count() == 0) {
            return;
        }
        List<Long> b = d.buckets();
        long max = 1;
        for (long c : b) {
            max = Math.max(max, c);
        }
        double bw = (double) W / b.size();
        h.append("<figure><figcaption>").append(esc(title)).append(String.format(Locale.ROOT,
                " <small>(%.2g s buckets, %d requests)</small></figcaption>", d.bucketWidth(), d.count()));
        h.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">", W, H + 20));
        for (int i = 0; i < b.size(); i++) {
            long c = b.get(i);
            double bh = (double) c * H / max;
            boolean over = i == b.size() - 1;
            h.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: %d</title></rect>",
                    i * bw, H - bh, Math.max(1, bw - 1), bh, over ? "#999" : "#3a7",
                    over ? String.format(Locale.ROOT, "≥ %.2f s", i * d.bucketWidth())
                            : String.format(Locale.ROOT, "%.2f–%.2f s", i * d.bucketWidth(), (i + 1) * d.bucketWidth()), c));
        }
        for (int s = 0; s <= (int) Math.floor((b.size() - 1) * d.bucketWidth()); s++) {
            double x = s / d.bucketWidth() * bw;
            h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%d s</text>", x, H + 14, s));
        }
        h.append("</svg></figure>\n");
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
