package dev.nodedoctor.diagnose;

import dev.nodedoctor.kernel.OomReport;
import dev.nodedoctor.kube.KubeCgroup;
import dev.nodedoctor.kube.PodRef;

import java.util.Locale;
import java.util.Map;

/**
 * What one OOM kill says once the numbers are put side by side: the limit, the usage when the kernel gave up,
 * the resident memory of every task in the cgroup, and the gap between usage and that RSS — which the
 * report's own memory.stat block attributes to page cache, tmpfs/shmem or kernel memory. The "OOMKilled with a
 * 50 MB RSS against a 600 MB limit" question is answered by the largest part of that gap.
 *
 * @param usageBytes   the cgroup's usage at the kill (report line "memory: usage …kB"), -1 for a global OOM
 * @param limitBytes   its limit, -1 when unlimited or global
 * @param taskRssBytes the sum of the task table's rss column (4 KiB pages)
 * @param gapBytes     usage − task RSS: memory charged to the cgroup that no process maps
 * @param anonBytes, cacheBytes, shmemBytes, dirtyBytes, kernelBytes the report's memory.stat block (-1 absent);
 *                     cache excludes shmem
 * @param culprit      the largest consumer in words: "tmpfs / shared memory", "page cache", "kernel memory",
 *                     "process memory (anon)"
 */
public record OomExplanation(OomReport report, String cgroup, PodRef pod, long usageBytes, long limitBytes,
                             long taskRssBytes, long gapBytes, long anonBytes, long cacheBytes, long shmemBytes,
                             long dirtyBytes, long kernelBytes, String culprit, String summary, String fix) {

    public static OomExplanation of(OomReport r) {
        String cgroup = r.taskMemcg() != null ? r.taskMemcg() : r.oomMemcg();
        PodRef pod = cgroup == null ? null : KubeCgroup.parse(cgroup).orElse(null);
        OomReport.MemoryCounter mem = r.memory();
        long usage = mem == null ? -1 : mem.usageKb() * 1024;
        long limit = mem == null || mem.unlimited() ? -1 : mem.limitKb() * 1024;
        long rss = r.sumTaskRssBytes();
        long gap = usage < 0 ? -1 : Math.max(0, usage - rss);
        Map<String, Long> st = r.stats();
        boolean v2 = st.containsKey("anon") || st.containsKey("file");
        long anon = v2 ? get(st, "anon") : get(st, "rss");
        long file = v2 ? get(st, "file") : get(st, "cache");
        long shmem = get(st, "shmem");
        long cache = file < 0 ? -1 : Math.max(0, file - Math.max(0, shmem));
        long dirty = sum(get(st, v2 ? "file_dirty" : "dirty"), get(st, v2 ? "file_writeback" : "writeback"));
        long kernel = v2 ? (st.containsKey("kernel") ? get(st, "kernel") : sum(get(st, "slab"), get(st, "kernel_stack")))
                : (r.counters().containsKey("kmem") ? r.counters().get("kmem").usageKb() * 1024 : -1);
        String culprit = culprit(anon, cache, shmem, kernel, rss);
        String summary;
        if (r.kind() == OomReport.Kind.GLOBAL || usage < 0) {
            summary = String.format(Locale.ROOT, "The whole machine ran out of memory (constraint %s); the tasks held %s "
                    + "resident.", r.constraint() == null ? "unknown" : r.constraint(), MemoryFacts.mib(rss));
        } else if (gap * 10 < usage) {
            // RSS accounts for (nearly) all of the usage: no hidden cache to blame, the processes are the story
            summary = String.format(Locale.ROOT, "The cgroup used %s of its %s limit when the kernel gave up; its "
                            + "processes held %s resident, which is the usage: their own memory filled the limit "
                            + "(anon %s, page cache %s, shmem %s, kernel %s).",
                    MemoryFacts.mib(usage), limit < 0 ? "(unknown)" : MemoryFacts.mib(limit), MemoryFacts.mib(rss),
                    MemoryFacts.mib(anon), MemoryFacts.mib(cache), MemoryFacts.mib(shmem), MemoryFacts.mib(kernel));
        } else {
            summary = String.format(Locale.ROOT, "The cgroup used %s of its %s limit when the kernel gave up; its "
                            + "processes held only %s resident, so %s was memory no process maps — mostly %s "
                            + "(anon %s, page cache %s of which dirty/writeback %s, shmem %s, kernel %s).",
                    MemoryFacts.mib(usage), limit < 0 ? "(unknown)" : MemoryFacts.mib(limit), MemoryFacts.mib(rss), MemoryFacts.mib(gap), culprit, MemoryFacts.mib(anon), MemoryFacts.mib(cache),
                    MemoryFacts.mib(dirty), MemoryFacts.mib(shmem), MemoryFacts.mib(kernel));
        }
        String fix = switch (culprit) {
            case "tmpfs / shared memory" -> "Files in tmpfs (an emptyDir with medium: Memory, /dev/shm) count against "
                    + "the limit and cannot be reclaimed: delete them, give the emptyDir a sizeLimit, move the data to "
                    + "disk, or raise the limit to hold it.";
            case "page cache" -> "Buffered writes filled the limit with page cache faster than the disk took it: "
                    + "write with O_DIRECT (dd oflag=direct, qemu-img -t none / directsync) or fsync every few MiB, "
                    + "or give the container a limit that holds its cache.";
            case "kernel memory" -> "Kernel memory (slab, sockets, page tables) charged to the cgroup filled it: "
                    + "look for many open files or sockets, or dentries from file churn.";
            default -> "The processes' own memory reached the limit: raise the limit above the peak, or find what "
                    + "grows (a heap profile).";
        };
        return new OomExplanation(r, cgroup, pod, usage, limit, rss, gap, anon, cache, shmem, dirty, kernel, culprit,
                summary, fix);
    }

    private static String culprit(long anon, long cache, long shmem, long kernel, long rss) {
        long a = anon >= 0 ? anon : rss;
        long best = Math.max(Math.max(a, cache), Math.max(shmem, kernel));
        if (best <= 0 || best == a) {
            return "process memory (anon)";
        }
        if (best == shmem) {
            return "tmpfs / shared memory";
        }
        if (best == cache) {
            return "page cache";
        }
        return "kernel memory";
    }

    private static long get(Map<String, Long> st, String key) {
        Long v = st.get(key);
        return v == null ? -1 : v;
    }

    private static long sum(long a, long b) {
        return a < 0 ? b : b < 0 ? a : a + b;
    }
}
