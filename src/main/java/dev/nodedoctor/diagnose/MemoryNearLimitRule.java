package dev.nodedoctor.diagnose;

import dev.nodedoctor.cgroup.CgroupMemory;
import dev.nodedoctor.sample.MemoryState;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code memory.near-limit}: a cgroup's working set (what `kubectl top` shows and kubelet ranks pods by for
 * eviction) is close to its memory limit. Without swap, reclaim can take clean page cache but not anon or
 * shmem; when that is not enough, the next burst ends in the OOM killer.
 */
public final class MemoryNearLimitRule extends ConfiguredRule {
    public static final String ID = "memory.near-limit";
    public static final Threshold RATIO = new Threshold("memory.near-limit.ratio", 0.90,
            "working set / limit (0..1) for a warning",
            "nodedoctor: under 10 % headroom before the memcg OOM killer acts at 100 % of the limit");
    public static final Threshold CRITICAL_RATIO = new Threshold("memory.near-limit.critical-ratio", 0.97,
            "working set / limit (0..1) for critical", "nodedoctor: under 3 % headroom");


    public MemoryNearLimitRule(Thresholds thresholds) {
        super(ID, thresholds);
    }


    @Override
    public List<Finding> evaluate(Observations obs) {
        MemoryState s = obs.memory().get().orElse(null);
        if (s == null) {
            return List.of();
        }
        double warn = value(RATIO);
        List<Finding> out = new ArrayList<>();
        for (CgroupMemory m : MemoryFacts.deepestLimited(s, m -> (double) m.workingSet() / m.limit() >= warn)) {
            double ratio = (double) m.workingSet() / m.limit();
            List<Evidence> ev = new ArrayList<>(MemoryFacts.breakdown(s, m));
            ev.addAll(Subjects.kubernetes(m.path(), "cgroup path"));
            boolean anonHeavy = m.anon() > m.file();
            String why = String.format(Locale.ROOT,
                    "The working set (usage %s minus inactive page cache %s) is %.0f%% of the %s limit. Without "
                            + "swap the kernel can reclaim clean page cache (active pages too, after demoting them) but "
                            + "not anon or shmem; when a new allocation does not fit after reclaim, it OOM-kills a process "
                            + "in the cgroup. `kubectl top` shows this working set, and kubelet ranks pods by it when the "
                            + "node runs short. %s",
                    MemoryFacts.mib(m.usage()), MemoryFacts.mib(m.inactiveFile()), 100 * ratio, MemoryFacts.mib(m.limit()),
                    anonHeavy ? "Most of it is anonymous memory (heap, stacks): the program's own data."
                            : "Most of it is page cache or tmpfs: see memory.pagecache-pressure / memory.shmem.");
            String fix = anonHeavy
                    ? "Raise the memory limit above the peak working set with headroom, or find what grows: a heap "
                    + "profile (Go: /debug/pprof/heap, JVM: a heap histogram) shows the allocator."
                    : "Raise the limit, or stop the cache from filling it: write with O_DIRECT / fsync in small "
                    + "batches, keep tmpfs (emptyDir medium Memory) small, or move the data to disk.";
            out.add(new Finding(ID, ratio >= value(CRITICAL_RATIO) ? Severity.CRITICAL : Severity.WARNING,
                    Subjects.cgroup(m.path()),
                    String.format(Locale.ROOT, "Working set is %.0f%% of the memory limit (%s of %s)", 100 * ratio,
                            MemoryFacts.mib(m.workingSet()), MemoryFacts.mib(m.limit())),
                    ev, why, fix,
                    List.of("https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/",
                            "https://docs.kernel.org/admin-guide/cgroup-v2.html#memory"),
                    List.of(), ratio));
        }
        return out;
    }
}
