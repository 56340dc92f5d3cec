package dev.nodedoctor.kernel;

import dev.nodedoctor.cgroup.CgroupPaths;

import java.util.List;
import java.util.Map;

/**
 * One OOM-killer report from the kernel log, from {@code invoked oom-killer} to the kill line, as the kernel
 * printed it. Fields the kernel of the day did not print are null (or empty): a 3.10 report has no
 * {@code oom-kill:} line, a global OOM has no memory cgroup, a 6.x task table has {@code rss_anon} columns.
 *
 * @param complete       true when the report ran from its start line to its kill line (or to "no killable
 *                       processes"); false when it was cut off (end of input, ring overwritten, another report
 *                       of the same task started) — the fields then hold what was seen
 * @param problems       why it is incomplete, lines that could not be read, kmsg records lost inside it, or
 *                       interleaving that may mix two reports, in words (a complete report may still have some)
 * @param start          the {@code invoked oom-killer} line (its time and host); null if the start is missing
 * @param trigger        the task whose allocation failed (not necessarily the victim)
 * @param kernelRelease  from the {@code CPU: … Comm: …} line, e.g. {@code 5.15.0-1041-azure}; null if absent
 * @param kind           memcg or global
 * @param constraint     {@code CONSTRAINT_MEMCG}, {@code CONSTRAINT_NONE}, … from the {@code oom-kill:} line
 *                       (kernels ≥ 4.19 and RHEL backports); null when not printed
 * @param cpuset         the trigger's cpuset (from {@code oom-kill:} or the old {@code cpuset= mems_allowed=} line)
 * @param memsAllowed    the trigger's allowed memory nodes
 * @param oomMemcg       the memory cgroup whose limit was hit (v1 "limit of", v2 {@code oom_memcg=}); null for
 *                       a global OOM
 * @param taskMemcg      the victim's memory cgroup
 * @param counters       {@code memory}, {@code memory+swap}, {@code swap}, {@code kmem} lines, by that name
 * @param memcgStats     the {@code Memory cgroup stats for X:} blocks, in bytes (v1 one-line {@code KB} values
 *                       are converted); the first is the OOM cgroup's
 * @param memInfo        the {@code Mem-Info:} summary of a global OOM; null if not printed
 * @param tasks          the task table (values in pages, as printed)
 * @param victim         the killed task; null if the report was cut before the kill or nothing was killable
 * @param groupKills     further kills because of {@code memory.oom.group} (the victim may appear again)
 * @param reaped         the {@code oom_reaper:} line for the victim; null if not printed
 * @param firstLine      first input line of the report
 * @param lastLine       last input line of the report
 */
public record OomReport(boolean complete, List<String> problems, KernelLogLine start, Trigger trigger,
                        String kernelRelease, Kind kind, String constraint, String cpuset, String memsAllowed,
                        String oomMemcg, String taskMemcg, Map<String, MemoryCounter> counters,
                        List<MemcgStats> memcgStats, MemInfo memInfo, List<OomTask> tasks, Victim victim,
                        List<Victim> groupKills, Reaped reaped, long firstLine, long lastLine) {

    /**
     * Page size assumed for the task table's page counts: 4 KiB, the size on x86-64 and on the usual arm64
     * kernels. An arm64 kernel built for 16 KiB or 64 KiB pages prints the same columns; the kill line's kB
     * values are exact everywhere and can be used to check (victim rss pages × page size = anon + file + shmem).
     */
    public static final long PAGE_SIZE = 4096;

    public enum Kind {
        /** A memory cgroup hit its limit (v1 {@code memory.limit_in_bytes}, v2 {@code memory.max}). */
        MEMCG,
        /** The whole machine (or a cpuset / mempolicy) ran out of memory. */
        GLOBAL,
        /** Too little of the report survived to tell. */
        UNKNOWN
    }

    /** The allocating task and its request, from {@code X invoked oom-killer: gfp_mask=…, order=…}. */
    public record Trigger(String comm, Integer pid, Integer cpu, String gfpMask, String gfpFlags, Integer order,
                          Integer oomScoreAdj, String nodemask) {
    }

    /** {@code memory: usage 65536kB, limit 65536kB, failcnt 20} (also memory+swap, swap, kmem). */
    public record MemoryCounter(String name, long usageKb, long limitKb, long failcnt) {
        /** v1 prints "no limit" as a huge number (9007199254740988 kB, or 18014398509481983 kB on 3.x). */
        public boolean unlimited() {
            return limitKb >= (1L << 50);
        }
    }

    /** One {@code Memory cgroup stats for CGROUP:} block, values in bytes. */
    public record MemcgStats(String cgroup, Map<String, Long> bytes) {
    }

    /** The global summary: the {@code Mem-Info:} counters (pages) and the swap / RAM lines. */
    public record MemInfo(Map<String, Long> pages, Long freeSwapKb, Long totalSwapKb, Long ramPages,
                          Long reservedPages) {
    }

    /**
     * A row of the task table. Columns changed over the years ({@code nr_ptes} became {@code pgtables_bytes} in
     * 4.15; {@code rss_anon rss_file rss_shmem} appeared in 6.x): absent columns are null.
     */
    public record OomTask(int pid, Long uid, Long tgid, Long totalVmPages, long rssPages, Long rssAnonPages,
                          Long rssFilePages, Long rssShmemPages, Long pgtablesBytes, Long nrPtes, Long swapents,
                          int oomScoreAdj, String name) {
        public long rssBytes() {
            return rssPages * PAGE_SIZE;
        }
    }

    /**
     * The {@code Killed process PID (comm) total-vm:…kB, anon-rss:…kB, file-rss:…kB, shmem-rss:…kB, UID:…
     * pgtables:…kB oom_score_adj:…} line. {@code shmemRssKb}, {@code uid}, {@code pgtablesKb} and
     * {@code oomScoreAdj} are null on kernels that did not print them. {@code score} is the badness from the
     * older "Kill process P (x) score S or sacrifice child" selection line, when there was one.
     */
    public record Victim(int pid, String comm, Long totalVmKb, long anonRssKb, long fileRssKb, Long shmemRssKb,
                         Long uid, Long pgtablesKb, Integer oomScoreAdj, Integer score, boolean memcg,
                         KernelLogLine line) {
        public long anonRssBytes() {
            return anonRssKb * 1024;
        }

        public long fileRssBytes() {
            return fileRssKb * 1024;
        }

        public long shmemRssBytes() {
            return shmemRssKb == null ? 0 : shmemRssKb * 1024;
        }

        /** anon + file + shmem, in bytes. */
        public long rssBytes() {
            return anonRssBytes() + fileRssBytes() + shmemRssBytes();
        }
    }

    /** {@code oom_reaper: reaped process P (x), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB}. */
    public record Reaped(int pid, String comm, long anonRssKb, long fileRssKb, long shmemRssKb) {
    }

    public OomReport {
        problems = List.copyOf(problems);
        counters = Map.copyOf(counters);
        memcgStats = List.copyOf(memcgStats);
        tasks = List.copyOf(tasks);
        groupKills = List.copyOf(groupKills);
    }

    /** Sum of the task table's rss column, in pages. */
    public long sumTaskRssPages() {
        long sum = 0;
        for (OomTask t : tasks) {
            sum += t.rssPages();
        }
        return sum;
    }

    /** Sum of the task table's rss column in bytes, assuming {@link #PAGE_SIZE} (4 KiB) pages. */
    public long sumTaskRssBytes() {
        return sumTaskRssPages() * PAGE_SIZE;
    }

    /** The {@code memory} counter (the cgroup's usage, limit and failcnt), or null for a global OOM. */
    public MemoryCounter memory() {
        return counters.get("memory");
    }

    /**
     * The memory.stat of the OOM cgroup <em>with everything below it</em> at the moment of the OOM (bytes), or an
     * empty map. Kernels print this three ways, and only one of them is already hierarchical:
     * <ul>
     *   <li>v2 (and 5.x+ v1 blocks with {@code total_*} keys): the first block; a {@code total_X} value replaces
     *       the cgroup-local {@code X}, because a pod-level limit is usually hit with no task in the pod cgroup
     *       itself;</li>
     *   <li>v1 before 5.x: one line per cgroup of the subtree, with <em>local</em> values ({@code cache:0KB
     *       rss:0KB …} for the pod, the real numbers on its containers' lines); these are summed.</li>
     * </ul>
     */
    public Map<String, Long> stats() {
        if (memcgStats.isEmpty()) {
            return Map.of();
        }
        Map<String, Long> first = memcgStats.get(0).bytes();
        Map<String, Long> out = new java.util.LinkedHashMap<>(first);
        boolean hierarchical = false;
        for (Map.Entry<String, Long> e : first.entrySet()) {
            if (e.getKey().startsWith("total_")) {
                out.put(e.getKey().substring("total_".length()), e.getValue());
                hierarchical = true;
            }
        }
        boolean v2 = first.containsKey("anon") || first.containsKey("file");
        if (hierarchical || v2 || memcgStats.size() == 1) {
            return out;
        }
        String root = memcgStats.get(0).cgroup();
        for (MemcgStats block : memcgStats.subList(1, memcgStats.size())) {
            if (!CgroupPaths.isBelow(block.cgroup(), root)) {
                continue;
            }
            block.bytes().forEach((k, v) -> out.merge(k, v, Long::sum));
        }
        return out;
    }

    /** The victim's row in the task table, or null. */
    public OomTask victimTask() {
        if (victim == null) {
            return null;
        }
        for (OomTask t : tasks) {
            if (t.pid() == victim.pid()) {
                return t;
            }
        }
        return null;
    }

    /** Seconds since boot of the start line (or of the kill line when the start is missing); null if unknown. */
    public Double uptimeSeconds() {
        if (start != null && start.uptimeSeconds() != null) {
            return start.uptimeSeconds();
        }
        return victim != null ? victim.line().uptimeSeconds() : null;
    }

    /** The wall-clock time as printed (syslog, dmesg -T), or null. */
    public String wallClock() {
        if (start != null && start.wallClock() != null) {
            return start.wallClock();
        }
        return victim != null ? victim.line().wallClock() : null;
    }
}
