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
                new MemoryNearLimitRule(t), new PagecachePressureRule(t), new ShmemRule(t), new RssVsWorkingSetRule(t),
                new OomRecentRule(), new MemcgDyingRule(t), new StatReadSlowRule(t), new SoftirqStormRule(t),
                new FutexTimeoutsRule(t), new SyscallErrorStormRule(t), new SlowSyscallRule(t),
                new HiccupRule(t), new SynRetransmitRule(t),
                new LatencyConnectModeRule(t), new LatencyHopRule(t), new LatencyUpstreamRule(t),
                new GcPressureRule(t), new HeapSmallObjectsRule(t), new CgroupStatsReaderRule(t));
    }

    /** The rules that judge an access-log latency analysis (run by `nodedoctor latency`). */
    public static List<Rule> latency(Thresholds t) {
        return List.of(new LatencyConnectModeRule(t), new LatencyHopRule(t), new LatencyUpstreamRule(t));
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
        out.add(MemoryNearLimitRule.RATIO);
        out.add(MemoryNearLimitRule.CRITICAL_RATIO);
        out.add(PagecachePressureRule.USAGE_RATIO);
        out.add(PagecachePressureRule.CACHE_SHARE);
        out.add(PagecachePressureRule.DIRTY_SHARE);
        out.add(ShmemRule.SHARE);
        out.add(ShmemRule.CRITICAL_SHARE);
        out.add(RssVsWorkingSetRule.MIN_GAP_MIB);
        out.add(RssVsWorkingSetRule.RATIO);
        out.add(MemcgDyingRule.COUNT);
        out.add(MemcgDyingRule.CRITICAL_COUNT);
        out.add(StatReadSlowRule.SLOW_MS);
        out.add(StatReadSlowRule.CRITICAL_MS);
        out.add(SoftirqStormRule.RATE);
        out.add(SoftirqStormRule.SHARE);
        out.add(FutexTimeoutsRule.PER_SECOND);
        out.add(FutexTimeoutsRule.MIN_COUNT);
        out.add(SyscallErrorStormRule.PER_SECOND);
        out.add(SyscallErrorStormRule.RATIO);
        out.add(SyscallErrorStormRule.MIN_COUNT);
        out.add(SlowSyscallRule.MEAN_MS);
        out.add(SlowSyscallRule.MIN_CALLS);
        out.add(HiccupRule.P999_MS);
        out.add(HiccupRule.MAX_MS);
        out.add(HiccupRule.CRITICAL_MAX_MS);
        out.add(SynRetransmitRule.SHARE);
        out.add(SynRetransmitRule.CRITICAL_SHARE);
        out.add(SynRetransmitRule.MIN_COUNT);
        out.add(LatencyConnectModeRule.SHARE);
        out.add(LatencyConnectModeRule.MIN_REQUESTS);
        out.add(LatencyHopRule.P99);
        out.add(LatencyHopRule.MIN_JOINED);
        out.add(LatencyUpstreamRule.P99);
        out.add(LatencyUpstreamRule.MIN_REQUESTS);
        out.add(GcPressureRule.SHARE);
        out.add(GcPressureRule.CRITICAL_SHARE);
        out.add(HeapSmallObjectsRule.MIN_OBJECTS);
        out.add(HeapSmallObjectsRule.MAX_BYTES);
        out.add(CgroupStatsReaderRule.SHARE);
        out.add(CgroupStatsReaderRule.LIVE_SHARE);
        out.add(CgroupStatsReaderRule.LIVE_SYSTEM_PERCENT);
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
        List<Finding> linked = new ArrayList<>(CausalLinks.link(findings));
        linked.sort(Finding.RANKING);
        return new Diagnosis(linked, notes);
    }
}
