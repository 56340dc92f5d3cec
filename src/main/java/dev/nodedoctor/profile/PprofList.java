package dev.nodedoctor.profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Per-line values of the functions matching a regular expression, as {@code go tool pprof -list} computes them
 * (line granularity, no trimming), without needing the sources: each line is shown as file:line with its flat
 * and cum values.
 */
public final class PprofList {
    public record Line(String file, long line, long flat, long cum, String flatText, String cumText) {
    }

    public record Routine(String function, String file, long flat, long cum, String flatText, String cumText,
                          String percentOfTotal, List<Line> lines) {
    }

    public record Listing(String sampleType, String unit, long total, String totalText, List<Routine> routines) {
    }

    private PprofList() {
    }

    public static Listing of(PprofProfile p, String regex, String sampleIndex) throws ProfileFormatException {
        Pattern re = Pattern.compile(regex);
        int si = p.sampleIndex(sampleIndex);
        PprofProfile.ValueType type = p.sampleTypes().get(si);
        CallGraph g = CallGraph.of(p, si, CallGraph.Granularity.LINES);
        long total = g.total();
        List<CallGraph.Node> nodes = g.compute(null, 0, false);
        // a function's own flat and cum (cum once per sample, whichever of its lines the sample went through)
        Map<String, CallGraph.Node> functions = new LinkedHashMap<>();
        for (CallGraph.Node n : CallGraph.of(p, si, CallGraph.Granularity.FUNCTIONS).compute(null, 0, false)) {
            functions.put(n.info().name(), n);
        }
        Map<String, List<CallGraph.Node>> byFunction = new LinkedHashMap<>();
        for (CallGraph.Node n : nodes) {
            if (re.matcher(n.info().name()).find()) {
                byFunction.computeIfAbsent(n.info().name() + "\n" + n.info().file(), k -> new ArrayList<>()).add(n);
            }
        }
        long min = 0;
        for (List<CallGraph.Node> ns : byFunction.values()) {
            for (CallGraph.Node n : ns) {
                long v = n.flat() != 0 ? Math.abs(n.flat()) : Math.abs(n.cum());
                if (v > 0 && (min == 0 || v < min)) {
                    min = v;
                }
            }
        }
        String unit = Units.scale(min == 0 ? total : min, type.unit(), "minimum").unit();
        if (unit.isEmpty()) {
            unit = type.unit();
        }
        List<Routine> routines = new ArrayList<>();
        for (List<CallGraph.Node> ns : byFunction.values()) {
            ns.sort(Comparator.comparingLong((CallGraph.Node n) -> n.info().line()));
            CallGraph.Node fn = functions.get(ns.get(0).info().name());
            long flat = fn == null ? 0 : fn.flat();
            long cum = fn == null ? 0 : fn.cum();
            List<Line> lines = new ArrayList<>();
            for (CallGraph.Node n : ns) {
                lines.add(new Line(n.info().file(), n.info().line(), n.flat(), n.cum(),
                        Units.scaledLabel(n.flat(), type.unit(), unit), Units.scaledLabel(n.cum(), type.unit(), unit)));
            }
            CallGraph.NodeInfo first = ns.get(0).info();
            routines.add(new Routine(first.name(), first.file(), flat, cum, Units.scaledLabel(flat, type.unit(), unit),
                    Units.scaledLabel(cum, type.unit(), unit), Units.percentage(cum, total).trim(), lines));
        }
        routines.sort(Comparator.comparing(Routine::function));
        return new Listing(type.type(), unit, total, Units.scaledLabel(total, type.unit(), unit), routines);
    }
}
