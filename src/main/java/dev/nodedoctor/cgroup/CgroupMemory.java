package dev.nodedoctor.cgroup;

import java.util.Map;

/**
 * Memory state of one cgroup, v1 or v2, with the names of both versions mapped to one vocabulary.
 * Byte values; -1 = not available; {@link #NO_LIMIT} = no limit ("max", or v1's page-rounded LONG_MAX).
 *
 * @param usage       v1 memory.usage_in_bytes, v2 memory.current (includes page cache)
 * @param limit       v1 memory.limit_in_bytes, v2 memory.max
 * @param maxUsage    v1 memory.max_usage_in_bytes, v2 memory.peak (kernel ≥ 5.19)
 * @param failcnt     v1 memory.failcnt (times usage hit the limit); v2: memory.events "max"
 * @param stat        the whole memory.stat as the kernel printed it
 * @param events      v2 memory.events (low, high, max, oom, oom_kill, oom_group_kill); v1: oom_control's
 *                    oom_kill (kernel ≥ 4.13) and under_oom
 * @param kernelUsage v1 memory.kmem.usage_in_bytes; v2 the sum of memory.stat kernel (or slab +
 *                    kernel_stack + pagetables + sock + percpu on kernels without "kernel")
 */
public record CgroupMemory(String path, boolean v2, long usage, long limit, long maxUsage, long failcnt,
                           Map<String, Long> stat, Map<String, Long> events, long kernelUsage) {

    /** v1 prints PAGE_COUNTER_MAX × page size (9223372036854771712) for "no limit"; anything this big is none. */
    public static final long NO_LIMIT = Long.MAX_VALUE;
    static final long V1_UNLIMITED_FLOOR = 1L << 62;

    public boolean hasLimit() {
        return limit > 0 && limit < V1_UNLIMITED_FLOOR;
    }

    /** memory.stat value under the v2 name, falling back to the hierarchical v1 name ("total_" + v1 name). */
    private long stat(String v2Key, String v1Key) {
        if (v2) {
            Long v = stat.get(v2Key);
            return v == null ? -1 : v;
        }
        // v1: the total_* keys include descendants, matching usage_in_bytes (hierarchical)
        Long v = stat.get("total_" + v1Key);
        if (v == null) {
            v = stat.get(v1Key);
        }
        return v == null ? -1 : v;
    }

    public long anon() {
        return stat("anon", "rss");
    }

    /** Page cache: v2 "file", v1 "cache" (which, like v2's file, includes shmem/tmpfs). */
    public long file() {
        return stat("file", "cache");
    }

    public long activeFile() {
        return stat("active_file", "active_file");
    }

    public long inactiveFile() {
        return stat("inactive_file", "inactive_file");
    }

    public long shmem() {
        return stat("shmem", "shmem");
    }

    public long dirty() {
        return stat("file_dirty", "dirty");
    }

    public long writeback() {
        return stat("file_writeback", "writeback");
    }

    public long mappedFile() {
        return stat("file_mapped", "mapped_file");
    }

    public long event(String name) {
        Long v = events.get(name);
        return v == null ? -1 : v;
    }

    /**
     * What kubelet and cAdvisor call the working set, and what `kubectl top` shows: usage − inactive_file,
     * floored at 0 (cAdvisor's setMemoryStats; v1 uses total_inactive_file).
     */
    public long workingSet() {
        if (usage < 0) {
            return -1;
        }
        long inactive = inactiveFile();
        return inactive < 0 ? usage : Math.max(0, usage - inactive);
    }
}
