package dev.nodedoctor.sample;

import dev.nodedoctor.cgroup.CgroupLayout;
import dev.nodedoctor.cgroup.CgroupMemory;
import dev.nodedoctor.cgroup.MemoryReader;
import dev.nodedoctor.host.FlatKeyed;
import dev.nodedoctor.host.Interrupts;
import dev.nodedoctor.host.MemInfo;
import dev.nodedoctor.host.ProcCgroups;
import dev.nodedoctor.host.SlabInfo;
import dev.nodedoctor.host.Softirqs;
import dev.nodedoctor.sys.ReadTiming;
import dev.nodedoctor.host.VmStat;
import dev.nodedoctor.cgroup.CgroupReader;
import dev.nodedoctor.cgroup.CgroupStats;
import dev.nodedoctor.host.CgroupMembership;
import dev.nodedoctor.host.Cmdline;
import dev.nodedoctor.host.LoadAvg;
import dev.nodedoctor.host.Pressure;
import dev.nodedoctor.host.ProcStat;
import dev.nodedoctor.host.ProcessStat;
import dev.nodedoctor.host.ProcessStatus;
import dev.nodedoctor.host.SchedStat;
import dev.nodedoctor.sys.KernelFileException;
import dev.nodedoctor.sys.KernelFiles;
import dev.nodedoctor.sys.Pending;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes snapshots of the host, every process and every cgroup. One pass queues all its reads to the
 * {@link KernelFiles} reader before waiting for any, so its cost is dominated by the kernel's own work.
 * Command lines are cached per process (pid + start time): they are the largest file and rarely change.
 */
public final class Sampler {

    /** What to sample. Run-queue delay per thread needs one read per thread, so it can be turned off. */
    /**
     * @param skipIdle re-read status, schedstat and cgroup only for processes whose CPU time moved since the
     *                 last pass, and carry the rest forward: a 1 s `top` on a node of mostly sleeping
     *                 processes then reads one file per idle process instead of five. A process that waited for
     *                 a CPU for the whole interval without getting any looks idle: `diagnose` does not skip.
     */
    public record Options(boolean processes, boolean cgroups, boolean threadSchedstat, boolean memory,
                          boolean skipIdle) {
        public static final Options ALL = new Options(true, true, true, true, false);

        /** CPU only, as `top` samples: idle processes are carried forward. */
        public Options(boolean processes, boolean cgroups, boolean threadSchedstat) {
            this(processes, cgroups, threadSchedstat, false, true);
        }

        public Options(boolean processes, boolean cgroups, boolean threadSchedstat, boolean memory) {
            this(processes, cgroups, threadSchedstat, memory, false);
        }
    }

    private final KernelFiles files;
    private final CgroupLayout layout;
    private final CgroupReader cgroupReader;
    private final Options options;
    private final boolean cpuOnV2;
    private final boolean memoryOnV2;
    private final MemoryReader memoryReader;
    /** Captured trees may hold /proc/PID/schedstat without the per-thread task/ directories. */
    private final boolean perThread;
    /** Whether the kernel has PSI: fixed at boot, so looked up once, not on every pass. */
    private final boolean psi;
    private final Map<Integer, CachedCmdline> cmdlineCache = new HashMap<>();
    private Map<Integer, ProcessSample> lastProcesses = Map.of();

    private record CachedCmdline(long startTicks, String cmdline) {
    }

    public Sampler(KernelFiles files, CgroupLayout layout, Options options) {
        this.files = files;
        this.layout = layout;
        this.cgroupReader = new CgroupReader(files, layout);
        this.options = options;
        this.cpuOnV2 = layout.onV2("cpu");
        this.memoryOnV2 = layout.onV2("memory");
        this.memoryReader = new MemoryReader(files, layout);
        this.perThread = options.threadSchedstat() && (files.isLive() || files.exists("/proc/1/task"));
        this.psi = files.exists("/proc/pressure/cpu");
    }

    public CgroupLayout layout() {
        return layout;
    }

    public Options options() {
        return options;
    }

    public KernelFiles files() {
        return files;
    }

    public Snapshot snapshot() {
        return snapshot(true);
    }

    /**
     * @param memoryStat false: leave out every cgroup's memory.stat (usage, limits and events are still read).
     *                   `diagnose` judges memory at the end of its window; the snapshot at its start needs only
     *                   the counters, and on a sick node each memory.stat read is the expensive thing.
     */
    public Snapshot snapshot(boolean memoryStat) {
        Notes notes = new Notes();
        long t0 = System.nanoTime();
        Instant now = Instant.now();

        Pending<ProcStat> stat = files.submit("/proc/stat", ProcStat.PARSER);
        Pending<LoadAvg> load = files.submit("/proc/loadavg", LoadAvg.PARSER);
        Pending<Pressure> cpuPsi = psi ? files.submit("/proc/pressure/cpu", Pressure.PARSER) : null;
        Pending<Pressure> memPsi = psi ? files.submit("/proc/pressure/memory", Pressure.PARSER) : null;
        Pending<Pressure> ioPsi = psi ? files.submit("/proc/pressure/io", Pressure.PARSER) : null;

        Pending<MemInfo> meminfo = options.memory() ? files.submit("/proc/meminfo", MemInfo.PARSER) : null;
        Pending<VmStat> vmstat = options.memory() ? files.submit("/proc/vmstat", VmStat.PARSER) : null;
        Pending<ProcCgroups> procCgroups = options.memory() ? files.submit("/proc/cgroups", ProcCgroups.PARSER) : null;
        Pending<SlabInfo> slab = options.memory() ? files.submit("/proc/slabinfo", SlabInfo.PARSER) : null;
        Pending<Map<String, Long>> rootCgroupStat = options.memory() && memoryOnV2
                ? files.submit(layout.unifiedMount() + "/cgroup.stat", FlatKeyed.PARSER) : null;
        Pending<Softirqs> softirqs = files.submit("/proc/softirqs", Softirqs.PARSER);
        Pending<Interrupts> interrupts = files.submit("/proc/interrupts", Interrupts.PARSER);
        List<PendingProcess> procs = options.processes() ? submitProcesses(notes) : List.of();
        List<CgroupReader.PendingStats> groups = options.cgroups() ? submitCgroups(notes) : List.of();

        // phase 2: details of the processes that ran (all of them unless skipIdle), then one wait for the pass.
        // Deciding "ran" needs the stat reads: one wait for all of them first, not one per process.
        if (options.skipIdle() && !lastProcesses.isEmpty()) {
            files.await();
        }
        for (PendingProcess p : procs) {
            p.submitDetails();
        }
        files.await();
        HostSample host = new HostSample(stat.getOrNull(notes::add), load.getOrNull(notes::add),
                get(cpuPsi, notes), get(memPsi, notes), get(ioPsi, notes), get(softirqs, notes),
                get(interrupts, notes));
        if (!psi) {
            notes.add("PSI is not available (/proc/pressure missing: kernel < 4.20 or booted without psi=1)");
        }

        Map<Integer, ProcessSample> processes = new LinkedHashMap<>();
        int vanished = 0;
        for (PendingProcess p : procs) {
            ProcessSample s = p.collect(notes);
            if (s == null) {
                vanished++;
            } else {
                processes.put(s.pid(), s);
            }
        }
        if (vanished > 0 && processes.isEmpty()) {
            notes.add("no process could be read (" + vanished + " listed)");
        }
        cmdlineCache.keySet().retainAll(processes.keySet());
        lastProcesses = processes;

        Map<String, CgroupStats> cgroups = new LinkedHashMap<>();
        for (CgroupReader.PendingStats g : groups) {
            CgroupStats s = g.collect(notes::add);
            if (s != null) {
                cgroups.put(s.path(), s);
            }
        }
        MemoryState memory = null;
        if (options.memory()) {
            List<ReadTiming> statReads = new ArrayList<>();
            Map<String, CgroupMemory> memcgs = memoryReader.available()
                    ? memoryReader.readAll(notes::add, statReads, notes::add, memoryStat) : Map.of();
            // slabinfo is root-only: without it the dying-cgroup check still works, so no note for that
            SlabInfo slabs = slab.getOrNull(e -> {
                if (e.kind() != KernelFileException.Kind.PERMISSION && e.kind() != KernelFileException.Kind.MISSING) {
                    notes.add(e);
                }
            });
            Map<String, Long> cgStat = rootCgroupStat == null ? null : get(rootCgroupStat, notes);
            // 6.x kernels count dying memory cgroups alone; older ones only dying cgroups of any controller
            long dying = cgStat == null ? -1
                    : cgStat.getOrDefault("nr_dying_subsys_memory", cgStat.getOrDefault("nr_dying_descendants", -1L));
            memory = new MemoryState(get(meminfo, notes), get(vmstat, notes), memoryReader.isV2(),
                    memoryReader.mount(), memcgs, get(procCgroups, notes), dying, slabs, List.copyOf(statReads));
        }
        long t1 = System.nanoTime();
        // the counters were read across [t0, t1]; their midpoint is the best single instant for rates
        return new Snapshot(t0 + (t1 - t0) / 2, now, host, processes, cgroups, notes.summary(), memory);
    }

    private static <T> T get(Pending<T> p, Notes notes) {
        return p == null ? null : p.getOrNull(notes::add);
    }

    private List<CgroupReader.PendingStats> submitCgroups(Notes notes) {
        if (layout.mode() == CgroupLayout.Mode.NONE) {
            notes.add("no cgroup hierarchy is mounted");
            return List.of();
        }
        List<String> paths;
        try {
            paths = cgroupReader.walk();
        } catch (KernelFileException e) {
            notes.add(e);
            return List.of();
        }
        List<CgroupReader.PendingStats> out = new ArrayList<>(paths.size());
        for (String path : paths) {
            out.add(cgroupReader.submit(path));
        }
        return out;
    }

    private List<PendingProcess> submitProcesses(Notes notes) {
        List<String> names;
        try {
            names = files.list("/proc");
        } catch (KernelFileException e) {
            notes.add(e);
            return List.of();
        }
        List<PendingProcess> out = new ArrayList<>(names.size());
        for (String name : names) {
            if (!name.isEmpty() && name.charAt(0) >= '1' && name.charAt(0) <= '9') {
                int pid;
                try {
                    pid = Integer.parseInt(name);
                } catch (NumberFormatException e) {
                    continue;
                }
                out.add(new PendingProcess(pid));
            }
        }
        return out;
    }

    private final class PendingProcess {
        final int pid;
        final String dir;
        final Pending<ProcessStat> stat;
        Pending<ProcessStatus> status;
        Pending<List<SchedStat>> threadSched;
        Pending<SchedStat> sched;
        Pending<List<CgroupMembership>> cgroup;
        Pending<String> cmdline;
        /** The previous pass's sample, carried forward when the process did not run since. */
        ProcessSample carried;
        ProcessStat carriedStat;

        PendingProcess(int pid) {
            this.pid = pid;
            this.dir = "/proc/" + pid;
            stat = files.submit(dir + "/stat", ProcessStat.PARSER);
        }

        /** Phase 2: everything but stat, unless the process is idle and its last sample can be reused. */
        void submitDetails() {
            ProcessSample last = options.skipIdle() ? lastProcesses.get(pid) : null;
            if (last != null) {
                // the stat read was submitted in phase 1; wait for it only when we might skip
                ProcessStat st = stat.getOrNull(e -> { });
                if (st != null && st.startTicks() == last.stat().startTicks()
                        && st.userTicks() == last.stat().userTicks() && st.systemTicks() == last.stat().systemTicks()) {
                    carried = last;
                    carriedStat = st;
                    return;
                }
            }
            status = files.submit(dir + "/status", ProcessStatus.PARSER);
            // /proc/<pid>/schedstat covers only the main thread; a Go or Java process does its work in others
            threadSched = perThread ? files.submitEach(dir + "/task", "schedstat", SchedStat.PARSER) : null;
            sched = perThread ? null : files.submit(dir + "/schedstat", SchedStat.PARSER);
            cgroup = files.submit(dir + "/cgroup", CgroupMembership.PARSER);
            cmdline = cmdlineCache.containsKey(pid) ? null : files.submit(dir + "/cmdline", Cmdline.PARSER);
        }

        ProcessSample collect(Notes notes) {
            if (carried != null) {
                return new ProcessSample(carriedStat, carried.status(), carried.runNanos(), carried.waitNanos(),
                        carried.timeslices(), carried.cgroup(), carried.cmdline(), carried.memoryCgroup());
            }
            List<KernelFileException> errors = new ArrayList<>(0);
            ProcessStat st = stat.getOrNull(errors::add);
            ProcessStatus stu = status.getOrNull(errors::add);
            long run = -1, wait = -1, slices = -1;
            if (threadSched != null) {
                List<SchedStat> all = threadSched.getOrNull(errors::add);
                if (all != null && !all.isEmpty()) {
                    run = 0;
                    wait = 0;
                    slices = 0;
                    for (SchedStat s : all) {
                        run += s.runNanos();
                        wait += s.waitNanos();
                        slices += s.timeslices();
                    }
                }
            } else {
                SchedStat s = sched.getOrNull(errors::add);
                if (s != null) {
                    run = s.runNanos();
                    wait = s.waitNanos();
                    slices = s.timeslices();
                }
            }
            List<CgroupMembership> cg = cgroup.getOrNull(errors::add);
            String cmd = cmdline == null ? null : cmdline.getOrNull(errors::add);
            // a process that exited between the listing and the reads is gone, not an error
            for (KernelFileException e : errors) {
                if (e.kind() != KernelFileException.Kind.MISSING) {
                    notes.add(e);
                }
            }
            if (st == null) {
                return null;
            }
            if (cmdline == null) {
                CachedCmdline cached = cmdlineCache.get(pid);
                if (cached.startTicks() == st.startTicks()) {
                    cmd = cached.cmdline();
                } else {
                    // the pid was re-used by a new process since the last pass
                    try {
                        cmd = files.read("/proc/" + pid + "/cmdline", Cmdline.PARSER);
                    } catch (KernelFileException e) {
                        cmd = null;
                    }
                }
            }
            if (cmd != null) {
                cmdlineCache.put(pid, new CachedCmdline(st.startTicks(), cmd));
            }
            return new ProcessSample(st, stu, run, wait, slices, cpuCgroup(cg), cmd, memoryCgroup(cg));
        }
    }

    private String memoryCgroup(List<CgroupMembership> lines) {
        if (lines == null) {
            return null;
        }
        for (CgroupMembership m : lines) {
            if (memoryOnV2 ? m.isUnified() : m.has("memory")) {
                return m.path();
            }
        }
        return null;
    }

    /** The process's cgroup in the hierarchy that holds CPU: the v1 "cpu" line or the v2 line. */
    private String cpuCgroup(List<CgroupMembership> lines) {
        if (lines == null) {
            return null;
        }
        for (CgroupMembership m : lines) {
            if (cpuOnV2 ? m.isUnified() : m.has("cpu")) {
                return m.path();
            }
        }
        for (CgroupMembership m : lines) {
            if (m.has("cpuacct")) {
                return m.path();
            }
        }
        return null;
    }
}
