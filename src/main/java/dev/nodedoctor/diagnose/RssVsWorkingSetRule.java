package dev.nodedoctor.diagnose;

import dev.nodedoctor.cgroup.CgroupPaths;
import dev.nodedoctor.cgroup.CgroupMemory;
import dev.nodedoctor.sample.Delta;
import dev.nodedoctor.sample.MemoryState;
import dev.nodedoctor.sample.ProcessSample;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code memory.rss-vs-workingset}: `ps`/`top` (RSS of the processes) and `kubectl top` (the cgroup's working
 * set) disagree by a lot. Both are right; they count different pages. This finding says which pages.
 */
public final class RssVsWorkingSetRule extends ConfiguredRule {
    public static final String ID = "memory.rss-vs-workingset";
    public static final Threshold MIN_GAP_MIB = new Threshold("memory.rss-vs-workingset.min-gap-mib", 64,
            "smallest difference worth explaining, MiB", "nodedoctor");
    public static final Threshold RATIO = new Threshold("memory.rss-vs-workingset.ratio", 2,
            "larger / smaller of the two figures", "nodedoctor: one is at least twice the other");


    public RssVsWorkingSetRule(Thresholds thresholds) {
        super(ID, thresholds);
    }


    @Override
    public List<Finding> evaluate(Observations obs) {
        MemoryState s = obs.memory().get().orElse(null);
        Delta d = obs.cpu().get().orElse(null);
        if (s == null || d == null) {
            return List.of();
        }
        List<Finding> out = new ArrayList<>();
        for (CgroupMemory m : MemoryFacts.limited(s)) {
            long rssKb = 0;
            int procs = 0;
            for (ProcessSample p : d.after().processes().values()) {
                if (p.memoryCgroup() != null && p.status() != null && p.status().vmRssKb() > 0
                        && CgroupPaths.isAtOrBelow(p.memoryCgroup(), m.path())) {
                    rssKb += p.status().vmRssKb();
                    procs++;
                }
            }
            if (procs == 0) {
                continue;
            }
            long rss = rssKb * 1024;
            long ws = m.workingSet();
            long gap = Math.abs(ws - rss);
            double ratio = (double) Math.max(ws, rss) / Math.max(1, Math.min(ws, rss));
            if (gap < value(MIN_GAP_MIB) * MemoryFacts.MIB || ratio < value(RATIO)) {
                continue;
            }
            List<Evidence> ev = new ArrayList<>();
            ev.add(Evidence.of("sum of RSS of its " + procs + " processes (ps)", rss / MemoryFacts.MIB, "MiB",
                    "/proc/PID/status VmRSS"));
            ev.addAll(MemoryFacts.breakdown(s, m));
            ev.addAll(Subjects.kubernetes(m.path(), "cgroup path"));
            String why = ws > rss
                    ? String.format(Locale.ROOT,
                    "The working set counts every page charged to the cgroup except inactive page cache: active page "
                            + "cache from reads and writes (%s), tmpfs/shmem (%s) and kernel memory (%s) that no process "
                            + "maps. RSS counts only pages mapped into the processes. So `kubectl top` shows more than "
                            + "`ps`. The cgroup's usage decides when the OOM killer acts; RSS (plus swap and page tables) "
                            + "only decides which process it picks.",
                    MemoryFacts.mib(m.activeFile()), MemoryFacts.mib(m.shmem()), MemoryFacts.mib(m.kernelUsage()))
                    : "RSS counts shared pages (libraries, shared memory) once per process that maps them, and file "
                    + "pages that were charged to another cgroup; the working set counts each page once, in the cgroup "
                    + "that first touched it. So `ps` adds up to more than `kubectl top`.";
            String fix = ws > rss
                    ? "Size the limit by the working set, not by RSS. If the extra is page cache, see "
                    + "memory.pagecache-pressure; if tmpfs, memory.shmem."
                    : "Nothing to fix: use the working set (or PSS from /proc/PID/smaps_rollup) to size limits.";
            out.add(new Finding(ID, Severity.INFO, Subjects.cgroup(m.path()),
                    String.format(Locale.ROOT, "ps says %s, kubectl top says %s: they count different pages",
                            MemoryFacts.mib(rss), MemoryFacts.mib(ws)),
                    ev, why, fix,
                    List.of("https://kubernetes.io/docs/reference/instrumentation/node-metrics/",
                            "https://docs.kernel.org/admin-guide/cgroup-v2.html#memory-interface-files"),
                    List.of(), ratio / 100));
        }
        return out;
    }
}
