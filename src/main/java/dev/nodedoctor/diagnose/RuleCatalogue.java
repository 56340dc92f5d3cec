package dev.nodedoctor.diagnose;

import java.util.ArrayList;
import java.util.List;

/** Every rule nodedoctor knows, and every threshold they use (for config validation and `explain`). */
public final class RuleCatalogue {
    private RuleCatalogue() {
    }

    public static List<Rule> all(Thresholds t) {
        return List.of(new CpuThrottledRule(t), new HotProcessRule(t), new SystemTimeRule(t), new IowaitRule(t),
                new SoftirqRule(t), new StealRule(t), new CpuContentionRule(t), new ReadTimeoutRule(t),
                new GcPressureRule(t), new HeapSmallObjectsRule(t), new CgroupStatsReaderRule(t));
    }

    public static List<Threshold> thresholds() {
        List<Threshold> out = new ArrayList<>();
        out.add(CpuThrottledRule.RATIO);
        out.add(CpuThrottledRule.CRITICAL_RATIO);
        out.add(CpuThrottledRule.MIN_PERIODS);
        out.add(HotProcessRule.PERCENT);
        out.add(HotProcessRule.CRITICAL_PERCENT);
        out.add(SystemTimeRule.ALL);
        out.add(SystemTimeRule.ONE);
        out.add(IowaitRule.ALL);
        out.add(SoftirqRule.ALL);
        out.add(SoftirqRule.ONE);
        out.add(StealRule.ALL);
        out.add(CpuContentionRule.PROCESS_MS);
        out.add(CpuContentionRule.PSI_SOME);
        out.add(ReadTimeoutRule.SLOW_MS);
        out.add(GcPressureRule.SHARE);
        out.add(GcPressureRule.CRITICAL_SHARE);
        out.add(HeapSmallObjectsRule.MIN_OBJECTS);
        out.add(HeapSmallObjectsRule.MAX_BYTES);
        out.add(CgroupStatsReaderRule.SHARE);
        return List.copyOf(out);
    }

    public static List<String> ids() {
        return all(Thresholds.defaults()).stream().map(Rule::id).distinct().toList();
    }

    /** Runs every rule; a rule that throws is a bug, reported as a note rather than losing the others. */
    public static Diagnosis evaluate(List<Rule> rules, Observations obs) {
        List<Finding> findings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Rule r : rules) {
            try {
                findings.addAll(r.evaluate(obs));
            } catch (RuntimeException e) {
                notes.add("rule " + r.id() + " failed: " + e + " (a bug: please report it)");
            }
        }
        findings.sort(Finding.RANKING);
        return new Diagnosis(findings, notes);
    }
}
