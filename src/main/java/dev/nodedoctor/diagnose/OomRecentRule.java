package dev.nodedoctor.diagnose;

import dev.nodedoctor.cgroup.CgroupMemory;
import dev.nodedoctor.sample.Delta;
import dev.nodedoctor.sample.MemoryState;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code oom.recent}: the OOM killer has killed processes in a cgroup (v2 memory.events oom_kill, which counts
 * the cgroup and its descendants; v1 memory.oom_control oom_kill, local), with what fills the cgroup now —
 * which usually still explains the kill: a limit full of tmpfs or dirty cache, not of process memory.
 */
public final class OomRecentRule implements Rule {
    public static final String ID = "oom.recent";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(Observations obs) {
        MemoryState s = obs.memory().get().orElse(null);
        if (s == null) {
            return List.of();
        }
        MemoryState before = obs.cpu().get().map(Delta::before).map(x -> x.memory()).orElse(null);
        List<CgroupMemory> killed = new ArrayList<>();
        for (CgroupMemory m : s.cgroups().values()) {
            if (m.event("oom_kill") > 0) {
                killed.add(m);
            }
        }
        List<Finding> out = new ArrayList<>();
        for (CgroupMemory m : killed) {
            String prefix = m.path().equals("/") ? "/" : m.path() + "/";
            // v2 counts kills up the tree: tell it at the deepest cgroup that has them
            if (killed.stream().anyMatch(c -> c != m && c.path().startsWith(prefix))) {
                continue;
            }
            long kills = m.event("oom_kill");
            CgroupMemory then = before == null ? null : before.cgroups().get(m.path());
            long during = then == null || then.event("oom_kill") < 0 ? -1 : kills - then.event("oom_kill");
            String events = MemoryFacts.file(s, m.path(), s.cgroupV2() ? "memory.events" : "memory.oom_control");
            List<Evidence> ev = new ArrayList<>();
            ev.add(Evidence.of("OOM kills in this cgroup", kills, "since it was created", events));
            if (during > 0) {
                ev.add(Evidence.of("of them during this run", during, "", events));
            }
            if (m.event("oom") >= 0) {
                ev.add(Evidence.of("times it hit OOM", m.event("oom"), "", events));
            }
            if (m.maxUsage() > 0) {
                ev.add(Evidence.of("peak usage", m.maxUsage() / MemoryFacts.MIB, "MiB",
                        MemoryFacts.file(s, m.path(), s.cgroupV2() ? "memory.peak" : "memory.max_usage_in_bytes")));
            }
            if (m.hasLimit()) {
                ev.addAll(MemoryFacts.breakdown(s, m));
            }
            ev.addAll(Subjects.kubernetes(m.path(), "cgroup path"));
            String now = m.hasLimit() ? explainNow(m)
                    : "The cgroup has no limit of its own: an ancestor's limit (the pod's) was reached, or the whole node ran out.";
            if (m.v2() && m.event("oom") == 0 && m.hasLimit()) {
                now += " Its own limit was never hit (oom 0): the limit that was reached belongs to an ancestor, the pod.";
            }
            out.add(new Finding(ID, during > 0 ? Severity.CRITICAL : Severity.WARNING, Subjects.cgroup(m.path()),
                    String.format(Locale.ROOT, "The OOM killer killed %d process(es) in this cgroup%s", kills,
                            during > 0 ? " (" + during + " during this run)" : ""),
                    ev,
                    "When a cgroup's usage (or an ancestor's) reaches its limit and reclaim cannot free enough, the "
                            + "kernel kills the task with the highest OOM score below the cgroup whose limit was hit (RSS + "
                            + "swap + page tables, shifted by oom_score_adj); Kubernetes reports the container as "
                            + "OOMKilled (exit code 137). The counter also counts kills by the node-wide OOM killer, and "
                            + "on v1 it starts again when a restarted container gets a new cgroup. " + now,
                    "See what the limit is full of (above, and `nodedoctor memory CGROUP`); the kernel log "
                            + "(`dmesg`) has the report of each kill with the RSS of every task at that moment. If the "
                            + "gap between usage and the tasks' RSS is page cache or tmpfs, fix the writer or the "
                            + "emptyDir; if it is anon, raise the limit or fix the leak.",
                    List.of("https://docs.kernel.org/admin-guide/cgroup-v2.html#memory-interface-files",
                            "https://docs.kernel.org/admin-guide/cgroup-v1/memory.html"),
                    List.of(), kills));
        }
        return out;
    }

    private static String explainNow(CgroupMemory m) {
        long anon = Math.max(0, m.anon());
        long shmem = Math.max(0, m.shmem());
        long cache = Math.max(0, m.file()) - shmem;
        String biggest = shmem >= anon && shmem >= cache ? "tmpfs / shared memory"
                : cache >= anon ? "page cache" : "the processes' own memory (anon)";
        return String.format(Locale.ROOT, "Now the cgroup uses %s of its %s limit, most of it %s (anon %s, page "
                        + "cache %s, shmem %s).", MemoryFacts.mib(m.usage()), MemoryFacts.mib(m.limit()), biggest,
                MemoryFacts.mib(anon), MemoryFacts.mib(cache), MemoryFacts.mib(shmem));
    }
}
