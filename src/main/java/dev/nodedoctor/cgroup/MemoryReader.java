package dev.nodedoctor.cgroup;

import dev.nodedoctor.host.FlatKeyed;
import dev.nodedoctor.sys.Cursor;
import dev.nodedoctor.sys.KernelFileException;
import dev.nodedoctor.sys.KernelFiles;
import dev.nodedoctor.sys.Parser;
import dev.nodedoctor.sys.Pending;
import dev.nodedoctor.sys.ReadTiming;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads the memory controller of cgroups, v1 or v2 as the layout says. As with {@link CgroupReader}, a pass
 * submits every read first and collects after. The v2 root has no memory.current: use /proc/meminfo there.
 */
public final class MemoryReader {
    private final KernelFiles files;
    private final String mount;
    private final boolean v2;

    public MemoryReader(KernelFiles files, CgroupLayout layout) {
        this.files = files;
        this.mount = layout.mountOf("memory");
        this.v2 = layout.onV2("memory");
    }

    /** Whether a memory controller is mounted at all. */
    public boolean available() {
        return mount != null;
    }

    public String mount() {
        return mount;
    }

    public boolean isV2() {
        return v2;
    }

    /** Every cgroup path of the memory hierarchy, "/" first, parents before children. */
    public List<String> walk() throws KernelFileException {
        if (mount == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        out.add("/");
        for (String r : files.walkDirectories(mount, CgroupReader.MAX_DEPTH)) {
            out.add("/" + r);
        }
        return out;
    }

    public String file(String cgroup, String name) {
        return cgroup.equals("/") ? mount + "/" + name : mount + cgroup + "/" + name;
    }

    /** v1 oom_control: "oom_kill_disable 0 / under_oom 0 / oom_kill 3" (oom_kill since 4.13). */
    private static final Parser<Map<String, Long>> KEYED = FlatKeyed.PARSER;
    private static final Parser<Long> NUMBER = (data, length) -> new Cursor(data, length).nextLong();

    public final class PendingMemory {
        final String path;
        final Pending<Long> usage;
        final Pending<Long> limit;
        final Pending<Long> maxUsage;
        final Pending<Long> failcnt;
        final Pending<Map<String, Long>> stat;
        final Pending<Map<String, Long>> events;
        final Pending<Long> kmem;

        PendingMemory(String path) {
            this(path, true);
        }

        /** @param withStat false: leave memory.stat out (its reads are over budget); vanishing is seen on usage */
        PendingMemory(String path, boolean withStat) {
            this.path = path;
            boolean root = path.equals("/");
            if (v2) {
                usage = root ? null : files.submit(file(path, "memory.current"), NUMBER);
                limit = root ? null : files.submit(file(path, "memory.max"), NUMBER);
                maxUsage = root ? null : files.submit(file(path, "memory.peak"), NUMBER);
                failcnt = null;
                events = root ? null : files.submit(file(path, "memory.events"), KEYED);
                kmem = null;
            } else {
                usage = files.submit(file(path, "memory.usage_in_bytes"), NUMBER);
                limit = files.submit(file(path, "memory.limit_in_bytes"), NUMBER);
                maxUsage = files.submit(file(path, "memory.max_usage_in_bytes"), NUMBER);
                failcnt = files.submit(file(path, "memory.failcnt"), NUMBER);
                events = files.submit(file(path, "memory.oom_control"), KEYED);
                kmem = files.submit(file(path, "memory.kmem.usage_in_bytes"), NUMBER);
            }
            stat = withStat ? files.submit(file(path, "memory.stat"), KEYED) : null;
        }

        /** Null if the cgroup vanished; other failures go to {@code errors} and leave that part empty. */
        public CgroupMemory collect(Consumer<KernelFileException> errors) {
            Map<String, Long> st = Map.of();
            try {
                if (stat != null) {
                    st = stat.get();
                } else if (usage != null) {
                    usage.get(); // only to see whether the cgroup vanished
                }
            } catch (KernelFileException e) {
                if (e.kind() == KernelFileException.Kind.MISSING) {
                    drain();
                    return null;
                }
                errors.accept(e);
            }
            long use = CgroupReader.value(usage, errors);
            long lim = CgroupReader.value(limit, errors);
            long peak = CgroupReader.value(maxUsage, errors);
            long fail = CgroupReader.value(failcnt, errors);
            Map<String, Long> ev = events == null ? Map.of() : events.getIfPresent(errors);
            if (ev == null) {
                ev = Map.of();
            }
            long kernel;
            if (v2) {
                fail = ev.getOrDefault("max", -1L);
                kernel = st.containsKey("kernel") ? st.get("kernel") : sum(st, "slab", "kernel_stack", "pagetables", "sock", "percpu");
            } else {
                kernel = CgroupReader.value(kmem, errors);
            }
            return new CgroupMemory(path, v2, use, lim, peak, fail, st, ev, kernel);
        }

        private void drain() {
            Consumer<KernelFileException> ignore = e -> { };
            CgroupReader.value(usage, ignore);
            CgroupReader.value(limit, ignore);
            CgroupReader.value(maxUsage, ignore);
            CgroupReader.value(failcnt, ignore);
            CgroupReader.value(kmem, ignore);
            if (events != null) {
                events.getOrNull(ignore);
            }
        }
    }

    private static long sum(Map<String, Long> st, String... keys) {
        long total = 0;
        boolean any = false;
        for (String k : keys) {
            Long v = st.get(k);
            if (v != null) {
                total += v;
                any = true;
            }
        }
        return any ? total : -1;
    }

    public PendingMemory submit(String cgroup) {
        return new PendingMemory(cgroup);
    }

    public CgroupMemory read(String cgroup, Consumer<KernelFileException> errors) {
        return submit(cgroup).collect(errors);
    }

    /** Reads every cgroup of the hierarchy; vanished ones are left out. */
    public Map<String, CgroupMemory> readAll(Consumer<KernelFileException> errors) {
        return readAll(errors, new ArrayList<>(), remark -> { });
    }

    /**
     * memory.stat reads of one pass may take this long together; past it the rest of the cgroups are read
     * without their memory.stat. On a sick node (tens of thousands of dying memory cgroups) each read costs up
     * to seconds of kernel CPU: reading every container's would make nodedoctor one more periodic reader of the
     * kind it is looking for. One second of reads is plenty to show the problem.
     */
    public static final Duration STAT_BUDGET = Duration.ofSeconds(1);
    /** Cgroups submitted per batch, so the budget is checked while the pass runs. */
    static final int BATCH = 64;

    /**
     * Reads every cgroup, and adds how long each memory.stat took to {@code statReads}: on a node with many
     * dying cgroups these reads are what becomes slow (the kernel walks them to sum the statistics). The
     * memory.stat reads stop at {@link #STAT_BUDGET} (or after a read that timed out); {@code remarks} then
     * says how many cgroups were read without it.
     */
    public Map<String, CgroupMemory> readAll(Consumer<KernelFileException> errors, List<ReadTiming> statReads,
                                             Consumer<String> remarks) {
        return readAll(errors, statReads, remarks, true);
    }

    /** As {@link #readAll(Consumer, List, Consumer)}; {@code stat} false reads no memory.stat at all. */
    public Map<String, CgroupMemory> readAll(Consumer<KernelFileException> errors, List<ReadTiming> statReads,
                                             Consumer<String> remarks, boolean stat) {
        List<String> paths;
        try {
            paths = walk();
        } catch (KernelFileException e) {
            errors.accept(e);
            return Map.of();
        }
        Map<String, CgroupMemory> out = new LinkedHashMap<>();
        long statNanos = 0;
        boolean withStat = stat;
        int skipped = 0;
        for (int from = 0; from < paths.size(); from += BATCH) {
            List<PendingMemory> pending = new ArrayList<>(BATCH);
            for (String p : paths.subList(from, Math.min(paths.size(), from + BATCH))) {
                pending.add(new PendingMemory(p, withStat));
            }
            if (!withStat && stat) {
                skipped += pending.size();
            }
            for (PendingMemory p : pending) {
                boolean[] timedOut = new boolean[1];
                CgroupMemory m = p.collect(e -> {
                    if (e.kind() == KernelFileException.Kind.TIMEOUT && e.path().endsWith("/memory.stat")) {
                        timedOut[0] = true;
                    }
                    errors.accept(e);
                });
                String statPath = file(p.path, "memory.stat");
                if (timedOut[0]) {
                    statReads.add(new ReadTiming(statPath, files.deadline(), true));
                    statNanos += files.deadline().toNanos();
                } else if (m != null && p.stat != null) {
                    Duration took = p.stat.elapsed();
                    statReads.add(new ReadTiming(statPath, took, false));
                    statNanos += took.toNanos();
                }
                if (m != null) {
                    out.put(m.path(), m);
                }
            }
            withStat = withStat && statNanos < STAT_BUDGET.toNanos();
        }
        if (skipped > 0) {
            remarks.accept(String.format(java.util.Locale.ROOT, "memory.stat was read for %d of %d memory cgroups "
                    + "only: those reads took %d ms together, and reading every one on a node this slow would add to "
                    + "its load (working set and page cache of the others are unknown)", paths.size() - skipped,
                    paths.size(), statNanos / 1_000_000));
        }
        return out;
    }
}
