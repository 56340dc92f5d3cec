package dev.nodedoctor.diagnose;

import dev.nodedoctor.cgroup.CgroupMemory;
import dev.nodedoctor.sample.MemoryState;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The memory evidence and wording the memory rules share: one breakdown, in one vocabulary, everywhere. */
final class MemoryFacts {
    private MemoryFacts() {
    }

    static final double MIB = 1024 * 1024;

    static String mib(long bytes) {
        return bytes < 0 ? "?" : Evidence.format(bytes / MIB) + " MiB";
    }

    static String file(MemoryState state, String cgroup, String name) {
        String mount = state.mount() == null ? "/sys/fs/cgroup/memory" : state.mount();
        return cgroup.equals("/") ? mount + "/" + name : mount + cgroup + "/" + name;
    }

    static String usageFile(MemoryState s, String cg) {
        return file(s, cg, s.cgroupV2() ? "memory.current" : "memory.usage_in_bytes");
    }

    static String limitFile(MemoryState s, String cg) {
        return file(s, cg, s.cgroupV2() ? "memory.max" : "memory.limit_in_bytes");
    }

    /** limit, usage, working set and the split of usage, each with the file it comes from. */
    static List<Evidence> breakdown(MemoryState s, CgroupMemory m) {
        String stat = file(s, m.path(), "memory.stat");
        List<Evidence> ev = new ArrayList<>();
        ev.add(Evidence.of("limit", m.limit() / MIB, "MiB", limitFile(s, m.path())));
        ev.add(Evidence.of("usage", m.usage() / MIB, "MiB", usageFile(s, m.path())));
        ev.add(Evidence.of("working set (kubectl top)", m.workingSet() / MIB, "MiB", "usage − inactive_file"));
        add(ev, "anon (heap, stacks)", m.anon(), stat);
        add(ev, "file (page cache)", m.file(), stat);
        add(ev, "  active_file", m.activeFile(), stat);
        add(ev, "  inactive_file", m.inactiveFile(), stat);
        add(ev, "  dirty", m.dirty(), stat);
        add(ev, "  writeback", m.writeback(), stat);
        add(ev, "  shmem (tmpfs, /dev/shm)", m.shmem(), stat);
        if (m.kernelUsage() >= 0) {
            ev.add(Evidence.of("kernel", m.kernelUsage() / MIB, "MiB",
                    s.cgroupV2() ? stat : file(s, m.path(), "memory.kmem.usage_in_bytes")));
        }
        return ev;
    }

    private static void add(List<Evidence> ev, String name, long bytes, String source) {
        if (bytes >= 0) {
            ev.add(Evidence.of(name, bytes / MIB, "MiB", source));
        }
    }

    static double pct(long part, long whole) {
        return whole <= 0 || part < 0 ? 0 : 100.0 * part / whole;
    }

    static String pctText(long part, long whole) {
        return String.format(Locale.ROOT, "%.0f%%", pct(part, whole));
    }

    /**
     * The cgroups with a limit that match {@code flagged}, less those whose finding belongs to a descendant
     * flagged too with an equal or smaller limit (the container, not its pod).
     */
    static List<CgroupMemory> deepestLimited(MemoryState s, java.util.function.Predicate<CgroupMemory> flagged) {
        List<CgroupMemory> hits = new ArrayList<>();
        for (CgroupMemory m : limited(s)) {
            if (flagged.test(m)) {
                hits.add(m);
            }
        }
        return Hierarchy.deepest(hits, CgroupMemory::path, CgroupMemory::limit);
    }

    /** Page cache other than tmpfs/shmem (which memory.stat counts inside file / cache). */
    static long cacheWithoutShmem(CgroupMemory m) {
        return Math.max(0, m.file()) - Math.max(0, m.shmem());
    }

    static List<CgroupMemory> limited(MemoryState s) {
        List<CgroupMemory> out = new ArrayList<>();
        for (Map.Entry<String, CgroupMemory> e : s.cgroups().entrySet()) {
            CgroupMemory m = e.getValue();
            if (m.hasLimit() && m.usage() >= 0) {
                out.add(m);
            }
        }
        return out;
    }
}
