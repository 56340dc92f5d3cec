package dev.nodedoctor.diagnose;

import dev.nodedoctor.cgroup.CgroupPaths;
import dev.nodedoctor.cgroup.CgroupMemory;
import dev.nodedoctor.kernel.KernelLogScan;
import dev.nodedoctor.kernel.OomReport;
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

    /** The kernel log's reports told one by one, newest first, at most this many. */
    static final int MAX_REPORTS = 5;

    @Override
    public List<Finding> evaluate(Observations obs) {
        List<Finding> out = new ArrayList<>();
        java.util.Set<String> told = new java.util.HashSet<>();
        KernelLogScan log = obs.kernelLog().get().orElse(null);
        if (log != null) {
            List<OomReport> reports = new ArrayList<>(log.oomReports());
            java.util.Collections.reverse(reports);
            for (OomReport r : reports.subList(0, Math.min(MAX_REPORTS, reports.size()))) {
                OomExplanation e = OomExplanation.of(r);
                out.add(fromReport(e));
                if (r.taskMemcg() != null) {
                    told.add(r.taskMemcg());
                }
                if (r.oomMemcg() != null) {
                    told.add(r.oomMemcg());
                }
            }
        }
        MemoryState s = obs.memory().get().orElse(null);
        if (s == null) {
            return out;
        }
        MemoryState before = obs.cpu().get().map(Delta::before).map(x -> x.memory()).orElse(null);
        List<CgroupMemory> killed = new ArrayList<>();
        for (CgroupMemory m : s.cgroups().values()) {
            if (m.event("oom_kill") > 0) {
                killed.add(m);
            }
        }
        for (CgroupMemory m : killed) {
            if (told.contains(m.path())) {
                continue; // the kernel log's report of this kill says more than the counters
            }
            // v2 counts kills up the tree: tell it at the deepest cgroup that has them
            if (killed.stream().anyMatch(c -> CgroupPaths.isBelow(c.path(), m.path()))) {
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

    private static Finding fromReport(OomExplanation e) {
        OomReport r = e.report();
        String src = "kernel log" + (r.firstLine() > 0 ? " line " + r.firstLine() : "");
        List<Evidence> ev = new ArrayList<>();
        if (r.victim() != null) {
            ev.add(Evidence.text("killed", r.victim().pid() + " (" + r.victim().comm() + ")", src));
        }
        if (r.wallClock() != null) {
            ev.add(Evidence.text("when", r.wallClock(), src));
        } else if (r.uptimeSeconds() != null) {
            ev.add(Evidence.of("when (since boot)", r.uptimeSeconds(), "s", src));
        }
        if (r.oomMemcg() != null) {
            ev.add(Evidence.text("limit hit in", r.oomMemcg(), src + " (oom_memcg)"));
        }
        if (e.limitBytes() >= 0) {
            ev.add(Evidence.of("limit", e.limitBytes() / MemoryFacts.MIB, "MiB", src + " (memory: limit)"));
        }
        if (e.usageBytes() >= 0) {
            ev.add(Evidence.of("usage at the kill", e.usageBytes() / MemoryFacts.MIB, "MiB", src + " (memory: usage)"));
        }
        ev.add(Evidence.of("RSS of all its tasks", e.taskRssBytes() / MemoryFacts.MIB, "MiB", src + " (task table)"));
        if (e.gapBytes() >= 0) {
            ev.add(Evidence.of("usage no process maps", e.gapBytes() / MemoryFacts.MIB, "MiB", "usage − RSS"));
        }
        addIfKnown(ev, "  page cache", e.cacheBytes(), src);
        addIfKnown(ev, "  shmem (tmpfs)", e.shmemBytes(), src);
        addIfKnown(ev, "  kernel", e.kernelBytes(), src);
        addIfKnown(ev, "  anon", e.anonBytes(), src);
        if (e.cgroup() != null) {
            ev.addAll(Subjects.kubernetes(e.cgroup(), "cgroup path"));
        }
        String subject = e.cgroup() != null ? Subjects.cgroup(e.cgroup()) : Subjects.HOST;
        String title = r.kind() == OomReport.Kind.GLOBAL
                ? "The machine ran out of memory and the kernel killed " + (r.victim() == null ? "a process" : r.victim().comm())
                : e.culprit().startsWith("process memory")
                ? String.format(Locale.ROOT, "OOM-killed %s: its processes' own memory (%s resident) filled the %s limit",
                        r.victim() == null ? "a process" : r.victim().comm(), MemoryFacts.mib(e.taskRssBytes()),
                        MemoryFacts.mib(e.limitBytes()))
                : String.format(Locale.ROOT, "OOM-killed %s at its %s limit while its processes held %s: the rest was %s",
                        r.victim() == null ? "a process" : r.victim().comm(), MemoryFacts.mib(e.limitBytes()),
                        MemoryFacts.mib(e.taskRssBytes()), e.culprit());
        return new Finding(ID, Severity.WARNING, subject, title, ev,
                e.summary() + (r.complete() ? "" : " (The report in the log is incomplete: " + String.join("; ", r.problems()) + ".)"),
                e.fix() + " `nodedoctor oom` lists every kill with these numbers.",
                List.of("https://docs.kernel.org/admin-guide/cgroup-v2.html#memory-interface-files"), List.of(),
                e.usageBytes() > 0 ? (double) e.gapBytes() / e.usageBytes() : 0.5);
    }

    private static void addIfKnown(List<Evidence> ev, String name, long bytes, String src) {
        if (bytes >= 0) {
            ev.add(Evidence.of(name, bytes / MemoryFacts.MIB, "MiB", src + " (memory.stat at the kill)"));
        }
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
