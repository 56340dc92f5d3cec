package dev.nodedoctor.diagnose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which findings can explain which, so a report tells the chain root cause first instead of six unrelated
 * warnings. The "kernel got slow" investigation is the model: dying memory cgroups make memory.stat reads slow,
 * the periodic reader (kubelet/cAdvisor) burns kernel time on them, other work on those CPUs runs late
 * (hiccups, late softirqs), and TCP handshakes miss their SYN-ACK and retransmit after 1 s — which access logs
 * show as a 1 s mode in upstream_connect_time.
 * <p>
 * Rules stay independent of each other; this table is applied once, after every rule ran. A link is made
 * only when both findings are present in the same run, and only when their subjects can be related: either
 * one is about the whole host, both are about the same subject, or both are about profiles.
 */
public final class CausalLinks {
    private CausalLinks() {
    }

    /** effect id → the ids that can cause it, likeliest first. */
    static final Map<String, List<String>> CAUSES = Map.ofEntries(
            Map.entry(StatReadSlowRule.ID, List.of(MemcgDyingRule.ID)),
            Map.entry(ReadTimeoutRule.ID, List.of(MemcgDyingRule.ID)),
            Map.entry(CgroupStatsReaderRule.ID, List.of(StatReadSlowRule.ID, MemcgDyingRule.ID)),
            Map.entry(SystemTimeRule.ID, List.of(CgroupStatsReaderRule.ID, StatReadSlowRule.ID)),
            Map.entry(HotProcessRule.ID, List.of(CgroupStatsReaderRule.ID, GcPressureRule.ID)),
            Map.entry(HiccupRule.ID, List.of(StatReadSlowRule.ID, CgroupStatsReaderRule.ID, SoftirqStormRule.ID)),
            Map.entry(SynRetransmitRule.ID, List.of(HiccupRule.ID, SoftirqStormRule.ID, StatReadSlowRule.ID)),
            Map.entry(LatencyConnectModeRule.ID, List.of(SynRetransmitRule.ID)),
            Map.entry(GcPressureRule.ID, List.of(HeapSmallObjectsRule.ID)));

    /** The findings with their {@code causes} filled in from the table (causes a rule set itself are kept). */
    public static List<Finding> link(List<Finding> findings) {
        List<Finding> out = new ArrayList<>(findings.size());
        for (Finding effect : findings) {
            List<String> candidates = CAUSES.getOrDefault(effect.id(), List.of());
            Set<String> causes = new LinkedHashSet<>(effect.causes());
            for (String causeId : candidates) {
                for (Finding cause : findings) {
                    if (cause != effect && cause.id().equals(causeId) && related(effect, cause)) {
                        causes.add(causeId);
                        break;
                    }
                }
            }
            out.add(causes.size() == effect.causes().size() ? effect
                    : new Finding(effect.id(), effect.severity(), effect.subject(), effect.title(), effect.evidence(),
                    effect.why(), effect.fix(), effect.refs(), List.copyOf(causes), effect.score()));
        }
        return out;
    }

    private static boolean related(Finding effect, Finding cause) {
        return Subjects.HOST.equals(effect.subject()) || Subjects.HOST.equals(cause.subject())
                || effect.subject().equals(cause.subject())
                // a CPU and a heap profile of one program are two files: --profile gives them side by side
                || (effect.subject().startsWith("profile ") && cause.subject().startsWith("profile "));
    }

    /**
     * The longest chains among the findings, root cause first, e.g. {@code [memcg.dying, cgroup.stat-read-slow,
     * kernel.hiccup, tcp.syn-retransmit]}: one per finding that nothing else points to (an end effect) and
     * that has a cause. Each step follows the cause that leads furthest back.
     */
    public static List<List<String>> chains(List<Finding> findings) {
        Map<String, Set<String>> causesOf = new LinkedHashMap<>();
        for (Finding f : findings) {
            causesOf.computeIfAbsent(f.id(), k -> new LinkedHashSet<>()).addAll(f.causes());
        }
        Set<String> isCause = new LinkedHashSet<>();
        causesOf.values().forEach(isCause::addAll);
        List<List<String>> out = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : causesOf.entrySet()) {
            if (!e.getValue().isEmpty() && !isCause.contains(e.getKey())) {
                List<String> back = longestBack(e.getKey(), causesOf, new LinkedHashSet<>());
                List<String> chain = new ArrayList<>();
                for (int i = back.size() - 1; i >= 0; i--) {
                    chain.add(back.get(i));
                }
                out.add(chain);
            }
        }
        return out;
    }

    /** {@code id} then its causes back to a root, the longest way (the table has no cycles; guarded anyway). */
    private static List<String> longestBack(String id, Map<String, Set<String>> causesOf, Set<String> seen) {
        seen.add(id);
        List<String> best = List.of();
        for (String c : causesOf.getOrDefault(id, Set.of())) {
            if (!seen.contains(c)) {
                List<String> candidate = longestBack(c, causesOf, new LinkedHashSet<>(seen));
                if (candidate.size() > best.size()) {
                    best = candidate;
                }
            }
        }
        List<String> out = new ArrayList<>();
        out.add(id);
        out.addAll(best);
        return out;
    }
}
