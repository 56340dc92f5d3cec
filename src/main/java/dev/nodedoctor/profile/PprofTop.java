package dev.nodedoctor.profile;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report {@code go tool pprof -top} prints, computed the way pprof computes it: nodes whose cum is at most
 * 0.5 % of the total are dropped (and the graph rebuilt without them), nodes are sorted by flat (or cum), an
 * optional node count keeps the first N, values are printed in the unit that suits the smallest shown value.
 */
public final class PprofTop {
    /** pprof's defaults: -nodefraction 0.005, -edgefraction 0.001. */
    public static final double NODE_FRACTION = 0.005;
    public static final double EDGE_FRACTION = 0.001;

    /**
     * What to report. {@code sampleIndex} null means the profile's default; {@code nodeCount} 0 means all;
     * {@code filter} keeps only some samples (-focus / -ignore), percentages staying of the whole profile's total.
     */
    public record Options(String sampleIndex, int nodeCount, boolean cumSort, SampleFilter filter) {
        public Options(String sampleIndex, int nodeCount, boolean cumSort) {
            this(sampleIndex, nodeCount, cumSort, new SampleFilter(null, null));
        }

        public static Options defaults() {
            return new Options(null, 0, false);
        }
    }

    /** One printed row. */
    public record Row(String name, String inline, long flat, long cum, String flatText, String flatPercent,
                      String sumPercent, String cumText, String cumPercent) {
    }

    /** The whole report: header lines as pprof prints them, then rows; notes are pprof's warnings (stderr). */
    public record Report(String sampleType, String sampleUnit, String outputUnit, long total, List<String> header,
                         List<Row> rows, int droppedNodes, int shownOf, List<String> notes) {
    }

    private PprofTop() {
    }

    public static Report of(PprofProfile profile, Options options) throws ProfileFormatException {
        return of(profile, options, CallGraph.Granularity.FUNCTIONS);
    }

    /** As {@link #of(PprofProfile, Options)}; LINES gives one row per source line ({@code -top -lines}). */
    public static Report of(PprofProfile profile, Options options, CallGraph.Granularity granularity)
            throws ProfileFormatException {
        int si = profile.sampleIndex(options.sampleIndex());
        PprofProfile.ValueType type = profile.sampleTypes().get(si);
        // pprof's total is the whole profile's, the graph (and the node cutoff) the kept samples'
        long total = CallGraph.total(profile, si);
        SampleFilter filter = options.filter();
        List<String> notes = new ArrayList<>();
        if (filter.active()) {
            SampleFilter.Result kept = filter.apply(profile);
            profile = kept.profile();
            if (filter.focus() != null && !kept.focusMatched()) {
                notes.add("Focus expression matched no samples");
            }
            if (filter.ignore() != null && !kept.ignoreMatched()) {
                notes.add("Ignore expression matched no samples");
            }
        }
        CallGraph graph = CallGraph.of(profile, si, granularity);

        // First step: the complete graph, to find the nodes under the cum cutoff.
        List<CallGraph.Node> nodes = graph.compute(null, 0, false);
        long flatTotal = 0;
        for (CallGraph.Node n : nodes) {
            flatTotal += n.flat();
        }
        long nodeCutoff = Math.abs((long) (flatTotal * NODE_FRACTION));
        long edgeCutoff = Math.abs((long) (flatTotal * EDGE_FRACTION));
        int dropped = 0;
        if (nodeCutoff > 0) {
            boolean[] kept = new boolean[graph.nodeIdCount()];
            int keptCount = 0;
            for (CallGraph.Node n : nodes) {
                if (Math.abs(n.cum()) >= nodeCutoff) {
                    kept[n.id()] = true;
                    keptCount++;
                }
            }
            if (keptCount != nodes.size()) {
                dropped = nodes.size() - keptCount;
                nodes = graph.compute(kept, edgeCutoff);
            } else {
                nodes = graph.compute(null, edgeCutoff);
            }
        } else {
            nodes = graph.compute(null, edgeCutoff);
        }
        int origCount = nodes.size();
        nodes = new ArrayList<>(nodes);
        nodes.sort(CallGraph.order(options.cumSort()));
        if (options.nodeCount() > 0 && options.nodeCount() < nodes.size()) {
            // pprof rebuilds the graph from the kept nodes: values stay, only the edges (inline marks) change
            boolean[] kept = new boolean[graph.nodeIdCount()];
            for (CallGraph.Node n : nodes.subList(0, options.nodeCount())) {
                kept[n.id()] = true;
            }
            nodes = new ArrayList<>(graph.compute(kept, edgeCutoff));
            nodes.sort(CallGraph.order(options.cumSort()));
        }

        String unit = outputUnit(nodes, total, type.unit());
        List<Row> rows = new ArrayList<>();
        long flatSum = 0;
        for (CallGraph.Node n : nodes) {
            flatSum += n.flat();
            rows.add(new Row(n.info().printableName(), n.inlineLabel(), n.flat(), n.cum(),
                    Units.scaledLabel(n.flat(), type.unit(), unit), Units.percentage(n.flat(), total),
                    Units.percentage(flatSum, total), Units.scaledLabel(n.cum(), type.unit(), unit),
                    Units.percentage(n.cum(), total)));
        }
        List<String> header = profileLabels(profile, type, total, unit);
        if (filter.active()) {
            header.add("Active filters:");
            filter.labels().forEach(l -> header.add("   " + l));
        }
        header.add("Showing nodes accounting for " + Units.scaledLabel(flatSum, type.unit(), unit) + ", "
                + Units.percentage(flatSum, total).trim() + " of " + Units.scaledLabel(total, type.unit(), unit) + " total");
        if (total != 0) {
            if (dropped > 0) {
                header.add("Dropped " + dropped + " node" + (dropped > 1 ? "s" : "") + " (cum <= "
                        + Units.scaledLabel(Math.abs((long) (total * NODE_FRACTION)), type.unit(), unit) + ")");
            }
            if (!nodes.isEmpty() && nodes.size() < origCount) {
                header.add("Showing top " + nodes.size() + " nodes out of " + origCount);
            }
        }
        return new Report(type.type(), type.unit(), unit, total, header, rows, dropped, origCount, notes);
    }

    /** pprof's selectOutputUnit with -unit minimum. */
    private static String outputUnit(List<CallGraph.Node> nodes, long total, String sampleUnit) {
        if (nodes.isEmpty()) {
            return "minimum";
        }
        long min = 0;
        for (CallGraph.Node n : nodes) {
            long v = Math.abs(n.flat());
            if (v == 0) {
                v = Math.abs(n.cum());
            }
            if (v > 0 && (min == 0 || v < min)) {
                min = v;
            }
        }
        long max = total;
        if (min == 0) {
            min = max;
        }
        String minUnit = Units.scale(min, sampleUnit, "minimum").unit();
        String maxUnit = Units.scale(max, sampleUnit, "minimum").unit();
        String unit = minUnit;
        if (!minUnit.equals(maxUnit) && min * 100 < max) {
            unit = Units.scale(100 * min, sampleUnit, "minimum").unit();
        }
        return unit.isEmpty() ? sampleUnit : unit;
    }

    /** pprof's ProfileLabels: File, Build ID, comments, Type, Time, Duration. */
    private static List<String> profileLabels(PprofProfile p, PprofProfile.ValueType type, long total, String unit) {
        List<String> label = new ArrayList<>();
        if (!p.mappings().isEmpty()) {
            PprofProfile.Mapping m = p.mappings().get(0);
            if (!m.file().isEmpty()) {
                int slash = m.file().lastIndexOf('/');
                label.add("File: " + (slash >= 0 && slash < m.file().length() - 1 ? m.file().substring(slash + 1) : m.file()));
            }
            if (!m.buildId().isEmpty()) {
                label.add("Build ID: " + m.buildId());
            }
        }
        for (String c : p.comments()) {
            if (!c.startsWith("#")) {
                label.add(c);
            }
        }
        label.add("Type: " + type.type());
        if (!p.docUrl().isEmpty()) {
            label.add("Doc: " + p.docUrl());
        }
        if (p.timeNanos() != 0) {
            label.add("Time: " + time(p.timeNanos()));
        }
        if (p.durationNanos() != 0) {
            String duration = Units.label(p.durationNanos(), "nanoseconds");
            Units.Scaled nanos = Units.scale(total, type.unit(), "nanoseconds");
            String ratio = "";
            if (nanos.unit().equals("ns") && nanos.value() != 0) {
                ratio = "(" + Units.percentage((long) nanos.value(), p.durationNanos()) + ")";
            }
            label.add("Duration: " + duration + ", Total samples = " + Units.scaledLabel(total, type.unit(), unit) + " " + ratio);
        }
        return label;
    }

    /** The time as go1.19's pprof prints it ("Sep 29, 2017 at 8:57pm (UTC)"), in the local zone. */
    static String time(long nanos) {
        Instant t = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
        return DateTimeFormatter.ofPattern("MMM d, yyyy 'at' h:mma '('zzz')'", Locale.ROOT)
                .format(t.atZone(ZoneId.systemDefault())).replace("AM", "am").replace("PM", "pm");
    }
}
