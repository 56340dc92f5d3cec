package dev.nodedoctor.diagnose;

import dev.nodedoctor.cgroup.CgroupMemory;
import dev.nodedoctor.sample.MemoryState;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code memory.pagecache-pressure}: a cgroup near its limit whose usage is mostly page cache (not tmpfs),
 * especially dirty or under writeback. Buffered writes faster than the disk fill the limit with pages that
 * cannot be dropped until written: the OOM-with-small-RSS case.
 */
public final class PagecachePressureRule extends ConfiguredRule {
    public static final String ID = "memory.pagecache-pressure";
    public static final Threshold USAGE_RATIO = new Threshold("memory.pagecache-pressure.usage-ratio", 0.90,
            "usage / limit (0..1) from which a cache-filled cgroup is reported",
            "nodedoctor: the same 90 % as memory.near-limit, but on usage (cache included)");
    public static final Threshold CACHE_SHARE = new Threshold("memory.pagecache-pressure.cache-share", 0.50,
            "page cache other than tmpfs, as a share of usage (0..1)", "nodedoctor: most of the usage");
    public static final Threshold DIRTY_SHARE = new Threshold("memory.pagecache-pressure.dirty-share", 0.10,
            "dirty + writeback as a share of the limit (0..1) that makes it critical",
            "nodedoctor: a tenth of the limit waiting for the disk cannot be reclaimed quickly");


    public PagecachePressureRule(Thresholds thresholds) {
        super(ID, thresholds);
    }


    @Override
    public List<Finding> evaluate(Observations obs) {
        MemoryState s = obs.memory().get().orElse(null);
        if (s == null) {
            return List.of();
        }
        double usageRatio = value(USAGE_RATIO);
        double cacheShare = value(CACHE_SHARE);
        List<Finding> out = new ArrayList<>();
        for (CgroupMemory m : MemoryFacts.deepestLimited(s, m -> (double) m.usage() / m.limit() >= usageRatio
                && MemoryFacts.cacheWithoutShmem(m) >= cacheShare * m.usage())) {
            long cache = MemoryFacts.cacheWithoutShmem(m);
            long unwritten = Math.max(0, m.dirty()) + Math.max(0, m.writeback());
            boolean dirtyHeavy = unwritten >= value(DIRTY_SHARE) * m.limit();
            List<Evidence> ev = new ArrayList<>(MemoryFacts.breakdown(s, m));
            ev.add(Evidence.of("page cache share of usage", MemoryFacts.pct(cache, m.usage()), "%",
                    MemoryFacts.file(s, m.path(), "memory.stat")));
            if (m.failcnt() >= 0) {
                ev.add(Evidence.of("times usage hit the limit", m.failcnt(), "",
                        MemoryFacts.file(s, m.path(), s.cgroupV2() ? "memory.events (max)" : "memory.failcnt")));
            }
            ev.addAll(Subjects.kubernetes(m.path(), "cgroup path"));
            String why = String.format(Locale.ROOT,
                    "Page cache is charged to the cgroup that caused it, and counts against its limit. %s of the %s "
                            + "limit is page cache (%s of it dirty or under writeback), while the processes' own memory "
                            + "(anon) is only %s. Clean cache is dropped under pressure, but dirty pages must reach the "
                            + "disk first: a writer that is faster than the disk keeps the cgroup at its limit, stalls "
                            + "in reclaim, and can be OOM-killed with a small RSS.",
                    MemoryFacts.mib(cache), MemoryFacts.mib(m.limit()), MemoryFacts.mib(unwritten), MemoryFacts.mib(m.anon()));
            String fix = "Write large files with O_DIRECT (e.g. `dd oflag=direct`, `qemu-img convert -t none` or "
                    + "`-t directsync`), or fsync / sync_file_range every few MiB so dirty pages never pile up; "
                    + "drop pages you will not read again (posix_fadvise DONTNEED); give the container a limit that "
                    + "fits its cache; lower vm.dirty_background_bytes / vm.dirty_bytes so writeback starts sooner. "
                    + "On cgroup v2 with the memory and io controllers enabled and a filesystem with cgroup writeback "
                    + "(ext4, xfs, btrfs), dirty pages are throttled per cgroup; on v1 only reclaim waiting for "
                    + "writeback slows the writer.";
            out.add(new Finding(ID, dirtyHeavy ? Severity.CRITICAL : Severity.WARNING, Subjects.cgroup(m.path()),
                    String.format(Locale.ROOT, "The memory limit is filled with page cache: %s of %s (%s dirty/writeback)",
                            MemoryFacts.mib(cache), MemoryFacts.mib(m.limit()), MemoryFacts.mib(unwritten)),
                    ev, why, fix,
                    List.of("https://docs.kernel.org/admin-guide/cgroup-v2.html#writeback",
                            "https://docs.kernel.org/admin-guide/sysctl/vm.html"),
                    List.of(), (double) m.usage() / m.limit()));
        }
        return out;
    }
}
