package dev.nodedoctor.sample;

import dev.nodedoctor.cgroup.CgroupLayout;
import dev.nodedoctor.host.ProcessStat;
import dev.nodedoctor.sys.KernelFileException;
import dev.nodedoctor.sys.KernelFiles;
import dev.nodedoctor.sys.Pending;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds the processes that spend their time reading cgroup files — the "periodic reader" (kubelet/cAdvisor,
 * node_exporter, a monitoring agent) behind slow {@code memory.stat} reads — without writing anything to the
 * system: no tracing, no kprobes. It samples the open descriptors of a few candidate processes
 * ({@code /proc/PID/fd}) at a fixed period and counts how often each one holds a file under a cgroup mount.
 * <p>
 * Why this measures reading time: such readers open a stat file, read it and close it, so the descriptor is
 * open about as long as the read takes. A read that costs 2 ms is caught in about 2 % of 100 ms samples of a
 * process that reads once per 100 ms; on a sick node, where one read of {@code memory.stat} takes seconds, the
 * reader is caught in most samples — the case that matters. A process that keeps a cgroup file open without
 * reading it (a PSI trigger on {@code memory.pressure}, an OOM eventfd on {@code memory.oom_control}) is also
 * counted: the files it holds are listed, so such holders are easy to tell apart, and the rule that judges this
 * asks for system CPU time too.
 * <p>
 * Cost: one read of /proc/PID/stat per candidate per sample, and for those that used CPU since the last
 * sample one readdir plus one readlink per descriptor (a few µs per descriptor);
 * the rounds are spaced so that sampling stays under {@link #COST_SHARE} of a core; candidates are limited to
 * {@link #MAX_CANDIDATES} (the processes with the most system CPU time, plus known cgroup readers by name),
 * and a process whose scan costs more than {@link #COSTLY_SCAN} (thousands of descriptors) is sampled at a
 * tenth of the rate.
 */
public final class CgroupFileReaders {
    public static final Duration DEFAULT_PERIOD = Duration.ofMillis(100);
    public static final int MAX_CANDIDATES = 8;
    /**
     * At most this share of one core goes to sampling: after a round that took T (wall time, which bounds the
     * reader thread's CPU for it), the next one starts no sooner than T / COST_SHARE later. A first round over
     * 8 candidates with ~230 descriptors in all costs 0.3–2 ms here depending on load (bench/RESULTS.md), so
     * the 100 ms period holds unless the candidates have thousands of files open or the node is saturated —
     * then sampling thins out rather than add to the load. Sampling runs only during a diagnose window.
     */
    static final double COST_SHARE = 0.01;
    /**
     * A process whose descriptor scan takes longer is sampled every tenth round only, to bound our own cost:
     * some thousands of descriptors (a database, a proxy). Wall time, so generous: on a loaded node a scan of a
     * JVM's 40 descriptors took 2–3 ms.
     */
    static final Duration COSTLY_SCAN = Duration.ofMillis(10);

    /** Programs known to read cgroup statistics periodically: always candidates when they run. */
    static final Set<String> KNOWN_READERS = Set.of("kubelet", "cadvisor", "node_exporter", "containerd",
            "dockerd", "crio", "systemd", "telegraf", "agent", "datadog-agent", "netdata", "collectd", "prometheus",
            "otelcol", "otelcol-contrib", "fluent-bit", "atop", "below", "oomd", "systemd-oomd", "lxcfs");

    private CgroupFileReaders() {
    }

    /** One process caught holding cgroup files open. */
    public record Reader(int pid, String comm, int samplesHolding, int samplesTaken, Map<String, Integer> files,
                         String example) {
        /** Share of this process's samples in which it held a cgroup file open. */
        public double share() {
            return samplesTaken == 0 ? 0 : (double) samplesHolding / samplesTaken;
        }

        /** The cgroup file names it held, most often held first, e.g. "memory.stat ×34, cpu.stat ×3". */
        public String filesInWords() {
            List<Map.Entry<String, Integer>> sorted = new ArrayList<>(files.entrySet());
            sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < sorted.size() && i < 4; i++) {
                if (i > 0) {
                    b.append(", ");
                }
                b.append(sorted.get(i).getKey()).append(" ×").append(sorted.get(i).getValue());
            }
            if (sorted.size() > 4) {
                b.append(", …");
            }
            return b.toString();
        }
    }

    /**
     * @param periodMillis time between samples
     * @param samples    sampling rounds taken
     * @param candidates the processes looked at (pid → comm)
     * @param readers    those caught holding a cgroup file at least once, most caught first
     */
    public record Report(long periodMillis, int samples, Map<Integer, String> candidates, List<Reader> readers,
                         List<String> notes) {
        public Report {
            candidates = Map.copyOf(candidates);
            readers = List.copyOf(readers);
            notes = List.copyOf(notes);
        }

        public String candidatesInWords() {
            List<String> names = new ArrayList<>();
            candidates.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> names.add(e.getValue() + " (" + e.getKey() + ")"));
            return String.join(", ", names);
        }
    }

    /**
     * The processes worth watching: known cgroup readers by name, then the most system CPU time in the recent
     * past ({@code recentSystemTicks}, pid → ticks since {@code snapshot}), then the most system time since they
     * started (a reader whose reads became slow has been burning kernel time for a while); without kernel
     * threads and without ourselves.
     */
    public static Map<Integer, String> candidates(Snapshot snapshot, Map<Integer, Long> recentSystemTicks, int max) {
        long self = ProcessHandle.current().pid();
        List<ProcessSample> all = new ArrayList<>();
        for (ProcessSample p : snapshot.processes().values()) {
            if (p.pid() != self && p.stat() != null && !p.isKernelThread()) {
                all.add(p);
            }
        }
        Comparator<ProcessSample> bySystemTime = Comparator.comparingLong((ProcessSample p) -> p.stat().systemTicks()).reversed();
        Map<Integer, String> out = new java.util.LinkedHashMap<>();
        all.stream().filter(p -> KNOWN_READERS.contains(p.stat().comm())).sorted(bySystemTime)
                .limit(max / 2).forEach(p -> out.put(p.pid(), p.stat().comm()));
        all.stream().filter(p -> recentSystemTicks.getOrDefault(p.pid(), 0L) > 0)
                .sorted(Comparator.comparingLong((ProcessSample p) -> recentSystemTicks.get(p.pid())).reversed())
                .forEach(p -> add(out, p, max));
        all.stream().filter(p -> p.stat().systemTicks() > 0).sorted(bySystemTime).forEach(p -> add(out, p, max));
        return out;
    }

    private static void add(Map<Integer, String> out, ProcessSample p, int max) {
        if (out.size() < max) {
            out.putIfAbsent(p.pid(), p.stat().comm());
        }
    }

    /**
     * System CPU ticks each process of {@code snapshot} used since it was taken (pid → ticks), from one fresh
     * read of every /proc/PID/stat; processes that exited or were replaced are left out.
     */
    static Map<Integer, Long> systemTicksSince(KernelFiles files, Snapshot snapshot) {
        Map<Integer, Pending<ProcessStat>> pending = new HashMap<>();
        for (ProcessSample p : snapshot.processes().values()) {
            pending.put(p.pid(), files.submit("/proc/" + p.pid() + "/stat", ProcessStat.PARSER));
        }
        files.await();
        Map<Integer, Long> out = new HashMap<>();
        pending.forEach((pid, read) -> {
            ProcessStat now = read.getOrNull(e -> { });
            ProcessStat before = snapshot.processes().get(pid).stat();
            if (now != null && before != null && now.startTicks() == before.startTicks()) {
                out.put(pid, now.systemTicks() - before.systemTicks());
            }
        });
        return out;
    }

    /**
     * Picks the candidates a short while into the window (a quarter of it, at most half a second: long enough
     * for a busy reader to show system time) and samples them until the window ends.
     */
    public static Report sample(KernelFiles files, List<String> prefixes, Snapshot first, Duration window,
                                Duration period) throws InterruptedException {
        long start = System.nanoTime();
        Duration warmUp = window.dividedBy(4).compareTo(Duration.ofMillis(500)) < 0 ? window.dividedBy(4)
                : Duration.ofMillis(500);
        Thread.sleep(warmUp.toMillis());
        Map<Integer, String> candidates = candidates(first, systemTicksSince(files, first), MAX_CANDIDATES);
        Duration rest = window.minusNanos(System.nanoTime() - start);
        return sample(files, prefixes, candidates, rest.isNegative() ? Duration.ZERO : rest, period);
    }

    /** The directories under which a descriptor counts as "a cgroup file": every cgroup mount of the layout. */
    public static List<String> mountPrefixes(CgroupLayout layout) {
        Set<String> mounts = new LinkedHashSet<>(layout.v1Mounts().values());
        if (layout.unifiedMount() != null) {
            mounts.add(layout.unifiedMount());
        }
        Set<String> out = new LinkedHashSet<>();
        for (String m : mounts) {
            out.add(m.endsWith("/") ? m : m + "/");
        }
        return List.copyOf(out);
    }

    /**
     * Samples the candidates' descriptors every {@code period} until {@code window} has passed. Runs on the
     * calling thread (it sleeps between rounds); reads go through {@code files}, so each has its deadline.
     */
    public static Report sample(KernelFiles files, List<String> prefixes, Map<Integer, String> candidates,
                                Duration window, Duration period) throws InterruptedException {
        List<String> notes = new ArrayList<>();
        if (prefixes.isEmpty()) {
            notes.add("no cgroup mounts: nothing to look for");
            return new Report(period.toMillis(), 0, candidates, List.of(), notes);
        }
        Map<Integer, Tally> tallies = new HashMap<>();
        Set<Integer> costly = new java.util.HashSet<>();
        Set<Integer> gone = new java.util.HashSet<>();
        int denied = 0;
        long end = System.nanoTime() + window.toNanos();
        int rounds = 0;
        Map<Integer, Long> lastCpuTicks = new HashMap<>();
        while (true) {
            long roundStart = System.nanoTime();
            // a process that used no CPU since the last round cannot have been reading: one read of its stat
            // spares the scan of its descriptors (the costly part) — most rounds for an agent that reads in bursts
            Map<Integer, Pending<ProcessStat>> stats = new HashMap<>();
            for (Integer pid : candidates.keySet()) {
                if (!gone.contains(pid)) {
                    stats.put(pid, files.submit("/proc/" + pid + "/stat", ProcessStat.PARSER));
                }
            }
            files.await();
            for (Map.Entry<Integer, String> c : candidates.entrySet()) {
                int pid = c.getKey();
                if (gone.contains(pid)) {
                    continue;
                }
                ProcessStat st = stats.get(pid).getOrNull(e -> { });
                if (st == null) {
                    gone.add(pid);
                    continue;
                }
                long cpuTicks = st.userTicks() + st.systemTicks();
                Long before = lastCpuTicks.put(pid, cpuTicks);
                if (before != null && before == cpuTicks) {
                    tallies.computeIfAbsent(pid, p -> new Tally(c.getValue())).taken++;
                    continue;
                }
                if (costly.contains(pid) && rounds % 10 != 0) {
                    continue;
                }
                List<String> held;
                try {
                    long t0 = System.nanoTime();
                    held = files.linkTargets("/proc/" + pid + "/fd", prefixes);
                    if (System.nanoTime() - t0 > COSTLY_SCAN.toNanos()) {
                        costly.add(pid);
                    }
                } catch (KernelFileException e) {
                    if (e.kind() == KernelFileException.Kind.PERMISSION) {
                        denied++;
                    }
                    gone.add(pid); // exited, or not ours to look at: stop asking
                    continue;
                }
                Tally t = tallies.computeIfAbsent(pid, p -> new Tally(c.getValue()));
                t.taken++;
                if (!held.isEmpty()) {
                    t.holding++;
                    Set<String> names = new LinkedHashSet<>();
                    for (String path : held) {
                        names.add(path.substring(path.lastIndexOf('/') + 1));
                        t.example = path;
                    }
                    for (String n : names) {
                        t.files.merge(n, 1, Integer::sum);
                    }
                }
            }
            rounds++;
            // keep our own cost under COST_SHARE of a core: a round that took longer stretches the wait (not
            // the first rounds, which pay for class loading and a cold JIT; at most to ten periods, beyond
            // which the per-process COSTLY_SCAN thinning has already taken over)
            long spent = System.nanoTime() - roundStart;
            long stretch = rounds <= 2 ? 0 : Math.min((long) (spent / COST_SHARE), 10 * period.toNanos());
            long next = roundStart + Math.max(period.toNanos(), stretch);
            // when no further round fits, the window still lasts its full length (rates are computed over it)
            long sleep = Math.min(next, end) - System.nanoTime();
            if (sleep > 0) {
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
            if (next >= end) {
                break;
            }
        }
        if (denied > 0) {
            notes.add(denied + " process(es) could not be looked at (permission denied): run as root to see "
                    + "every process's open files");
        }
        List<Reader> readers = new ArrayList<>();
        tallies.forEach((pid, t) -> {
            if (t.holding > 0) {
                readers.add(new Reader(pid, t.comm, t.holding, t.taken, Map.copyOf(t.files), t.example));
            }
        });
        readers.sort(Comparator.comparingDouble(Reader::share).reversed().thenComparingInt(Reader::pid));
        return new Report(period.toMillis(), rounds, candidates, readers, notes);
    }

    private static final class Tally {
        final String comm;
        int taken;
        int holding;
        final Map<String, Integer> files = new HashMap<>();
        String example;

        Tally(String comm) {
            this.comm = comm;
        }
    }

    /** "kubelet (pid 812): memory.stat ×34 in 34 of 50 samples (68 %)". */
    public static String describe(Reader r) {
        return String.format(Locale.ROOT, "%s (pid %d): %s in %d of %d samples (%.0f %%)", r.comm(), r.pid(),
                r.filesInWords(), r.samplesHolding(), r.samplesTaken(), r.share() * 100);
    }
}
