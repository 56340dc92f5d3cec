package dev.nodedoctor.report;

import dev.nodedoctor.accesslog.Distribution;
import dev.nodedoctor.accesslog.LatencyAnalysis;
import dev.nodedoctor.accesslog.LogSource;
import dev.nodedoctor.diagnose.Diagnosis;
import dev.nodedoctor.diagnose.Finding;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The terminal report of `nodedoctor latency`: per layer a percentile table and histograms, the join's hops
 * and tail breakdown, then the findings. Also the shape of its {@code --json} document ({@link Doc}).
 */
public final class LatencyReport {
    static final int BAR = 40;

    /** The `latency --json` document. Field names are part of the interface: add, never rename. */
    public record Doc(LatencyAnalysis analysis, List<Finding> findings, List<String> notes) {
    }

    private LatencyReport() {
    }

    public static Doc doc(LatencyAnalysis a, Diagnosis d) {
        List<String> notes = new ArrayList<>(a.notes());
        notes.addAll(d.notes());
        return new Doc(a, d.findings(), notes);
    }

    /** One named series of a layer or hop, for the tables and charts. */
    record Series(String name, Distribution d) {
    }

    static List<Series> layerSeries(LatencyAnalysis.Layer l) {
        return List.of(new Series("request_time", l.requestTime()), new Series("upstream_connect_time", l.connect()),
                new Series("upstream_header_time", l.header()), new Series("upstream_response_time", l.response()),
                new Series("request_time − upstream_response_time", l.inside()));
    }

    /** The histograms worth drawing: request_time, inside, and connect when anything took ≥ one bucket. */
    static List<Series> charted(LatencyAnalysis.Layer l) {
        List<Series> out = new ArrayList<>();
        for (Series s : layerSeries(l)) {
            boolean always = s.name().startsWith("request_time");
            if (s.d().count() > 0 && (always || s.d().max() >= s.d().bucketWidth())) {
                out.add(s);
            }
        }
        return out;
    }

    public static void print(LatencyAnalysis a, Diagnosis d, PrintWriter out) {
        long total = a.layers().stream().mapToLong(LatencyAnalysis.Layer::records).sum();
        out.printf(Locale.ROOT, "latency: %d layer(s), %,d requests; %s%n", a.layers().size(), total, a.precision());
        for (LatencyAnalysis.Layer l : a.layers()) {
            out.println();
            out.printf(Locale.ROOT, "layer %s: %,d requests, %,d to an upstream, %,d with several upstream tries%n",
                    l.name(), l.records(), l.withUpstream(), l.retried());
            for (LogSource.Stats s : l.sources()) {
                out.printf(Locale.ROOT, "  %s: %s, %,d lines, %,d records%s%n", s.name(), s.format(), s.lines(),
                        s.records(), s.bad() == 0 ? "" : String.format(Locale.ROOT, ", %,d bad lines skipped", s.bad()));
                for (LogSource.BadLine b : s.badSamples()) {
                    out.println("    line " + b.line() + ": " + Text.cut(b.reason(), 80));
                }
                if (s.brokenOff() != null) {
                    out.println("    " + s.brokenOff());
                }
            }
            table(layerSeries(l), out);
            for (Series s : charted(l)) {
                histogram(l.name() + " " + s.name(), s.d(), out);
            }
        }
        if (a.join() != null) {
            LatencyAnalysis.Join j = a.join();
            out.println();
            out.printf(Locale.ROOT, "join on %s: %,d requests in every layer (at most %,d waiting at once)%s%s%n",
                    j.field(), j.complete(), j.maxPending(),
                    j.duplicates() > 0 ? String.format(Locale.ROOT, ", %,d duplicate keys (first kept)", j.duplicates()) : "",
                    j.expired() > 0 ? String.format(Locale.ROOT, ", %,d closed by the join window", j.expired()) : "");
            for (LatencyAnalysis.Hop h : j.hops()) {
                out.printf(Locale.ROOT, "  %s → %s: %,d matched, %,d only in %s, %,d only in %s%s%n", h.outer(), h.inner(),
                        h.matched(), h.onlyOuter(), h.outer(), h.onlyInner(), h.inner(),
                        h.negative() > 0 ? String.format(Locale.ROOT, ", %,d negative gaps counted as 0", h.negative()) : "");
            }
            List<Series> parts = new ArrayList<>();
            for (LatencyAnalysis.Component c : j.components()) {
                parts.add(new Series(String.format(Locale.ROOT, "%-28s %3.0f %% of tail", c.name(), 100 * c.share()), c.values()));
            }
            out.println("  where the outermost request_time goes (share of the time above each part's median):");
            table(parts, out);
            for (LatencyAnalysis.Hop h : j.hops()) {
                histogram("gap " + h.outer() + " → " + h.inner() + " (outer − inner request_time)", h.gap(), out);
            }
        }
        out.println();
        List<Finding> findings = d.findings();
        if (findings.isEmpty()) {
            out.println("No findings: no SYN-retransmit mode, no slow hop or upstream above the thresholds.");
            out.println();
        }
        for (int i = 0; i < findings.size(); i++) {
            FindingsReport.print(i + 1, findings.get(i), out);
        }
        List<String> notes = new ArrayList<>(a.notes());
        notes.addAll(d.notes());
        if (!notes.isEmpty()) {
            out.println("Notes:");
            for (String n : notes) {
                for (String line : Text.wrap("- " + n, Text.WIDTH)) {
                    out.println("  " + line);
                }
            }
        }
        out.flush();
    }

    static void table(List<Series> rows, PrintWriter out) {
        int w = 10;
        for (Series s : rows) {
            w = Math.max(w, s.name().length());
        }
        out.printf(Locale.ROOT, "  %-" + w + "s %10s %8s %8s %8s %8s %8s%n", "", "count", "p50", "p90", "p99", "p99.9", "max");
        for (Series s : rows) {
            Distribution d = s.d();
            if (d.count() == 0) {
                out.printf(Locale.ROOT, "  %-" + w + "s %10s%n", s.name(), "-");
                continue;
            }
            out.printf(Locale.ROOT, "  %-" + w + "s %,10d %8.3f %8.3f %8.3f %8.3f %8.3f%n", s.name(), d.count(), d.p50(),
                    d.p90(), d.p99(), d.p999(), d.max());
        }
    }

    static void histogram(String title, Distribution d, PrintWriter out) {
        if (d.count() == 0) {
            return;
        }
        List<Long> b = d.buckets();
        int last = b.size() - 2;
        while (last > 0 && b.get(last) == 0) {
            last--;
        }
        long max = 1;
        for (long c : b) {
            max = Math.max(max, c);
        }
        out.printf(Locale.ROOT, "  %s, %.2g s buckets:%n", title, d.bucketWidth());
        for (int i = 0; i <= last; i++) {
            line(String.format(Locale.ROOT, "%5.2f–%-5.2f", i * d.bucketWidth(), (i + 1) * d.bucketWidth()), b.get(i), max, d.count(), out);
        }
        long over = b.get(b.size() - 1);
        if (over > 0) {
            line(String.format(Locale.ROOT, "≥ %-9.2f", (b.size() - 1) * d.bucketWidth()), over, max, d.count(), out);
        }
    }

    private static void line(String label, long c, long max, long total, PrintWriter out) {
        int len = (int) Math.round((double) c * BAR / max);
        String bar = "█".repeat(len) + (len == 0 && c > 0 ? "▏" : "");
        out.printf(Locale.ROOT, "    %s %-" + BAR + "s %,8d %5.1f %%%n", label, bar, c, 100.0 * c / total);
    }
}
