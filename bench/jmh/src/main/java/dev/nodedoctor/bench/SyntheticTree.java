package dev.nodedoctor.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes a Linux-like tree for {@code KernelFiles.at(root, ...)}: a kubelet node with {@code cgroups} v1
 * cgroups (cpu, cpuacct, pids) under {@code kubepods/{burstable,besteffort}/pod<uid>/<64-hex id>} and
 * {@code processes} processes spread over the containers.
 *
 * <p>Contents come from the machine it runs on: {@code /proc/stat}, {@code /proc/loadavg},
 * {@code /proc/pressure/*} and {@code /proc/self/mountinfo} are copied as they are; every synthetic process is
 * a copy of a real process's {@code stat, status, schedstat, cgroup, cmdline} and of its threads'
 * {@code task/<tid>/schedstat} (same thread count as the real one), with the pid rewritten. Cgroup
 * directories hold the same file names a real child cgroup of this kernel has (read from the real root,
 * minus the root-only files), so a directory walk pays for them; the files nodedoctor reads get values in the
 * kernel's format (checked on kernel 6.18 with a throw-away child cgroup).
 *
 * <p>The tree is plain files (tmpfs or disk, in the page cache), not procfs/cgroupfs: reads cost the VFS and
 * the copy, not the kernel's generation of the text. Say so next to any number measured on it.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.nodedoctor.bench.SyntheticTree [DIR] [PROCESSES] [CGROUPS]}
 * (defaults {@code /tmp/nodedoctor-synthetic 2000 1000}).
 */
public final class SyntheticTree {
    public static final Path DEFAULT_DIR = Path.of("/tmp/nodedoctor-synthetic");
    private static final String MARKER = "nodedoctor-synthetic.txt";
    private static final String[] CONTROLLERS = {"cpu", "cpuacct", "pids"};
    private static final Set<String> ROOT_ONLY = Set.of("cgroup.sane_behavior", "release_agent");
    private static final List<String> PIDS_CHILD = List.of("pids.current", "pids.events", "pids.max", "pids.peak");
    /** Thread ids start here so they never collide with the synthetic pids (1..processes). */
    private static final int FIRST_TID = 1_000_000;

    private final Path dir;
    private final int processes;
    private final int cgroups;
    private final Random random = new Random(42);
    private int threads;
    private String sources;

    private SyntheticTree(Path dir, int processes, int cgroups) {
        this.dir = dir;
        this.processes = processes;
        this.cgroups = cgroups;
    }

    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : DEFAULT_DIR;
        int processes = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int cgroups = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        long t0 = System.nanoTime();
        generate(dir, processes, cgroups);
        System.out.printf(Locale.ROOT, "wrote %s in %.1f s:%n%s", dir, (System.nanoTime() - t0) / 1e9,
                Files.readString(dir.resolve("README.txt")));
    }

    /** The tree at {@code dir}, generated unless a tree with the same sizes is already there. */
    public static Path ensure(Path dir, int processes, int cgroups) throws IOException {
        String want = describe(processes, cgroups);
        Path marker = dir.resolve(MARKER);
        if (Files.isRegularFile(marker) && Files.readString(marker).equals(want)) {
            return dir;
        }
        generate(dir, processes, cgroups);
        return dir;
    }

    private static String describe(int processes, int cgroups) {
        return "processes=" + processes + "\ncgroups=" + cgroups + "\n";
    }

    public static void generate(Path dir, int processes, int cgroups) throws IOException {
        if (processes < 1 || cgroups < 5) {
            throw new IllegalArgumentException("need at least 1 process and 5 cgroups");
        }
        deleteTree(dir);
        SyntheticTree t = new SyntheticTree(dir, processes, cgroups);
        t.write();
        Files.writeString(dir.resolve("README.txt"), "Synthetic node for nodedoctor benchmarks (bench/jmh, SyntheticTree).\n"
                + processes + " processes, " + t.threads + " threads, " + cgroups + " v1 cgroups (cpu, cpuacct, pids)\n"
                + "copied from " + t.sources + " of " + hostName() + " on " + java.time.Instant.now() + "\n"
                + "Plain files, not procfs/cgroupfs.\n");
        Files.writeString(dir.resolve(MARKER), describe(processes, cgroups));
    }

    private void write() throws IOException {
        Path proc = dir.resolve("proc");
        Files.createDirectories(proc.resolve("pressure"));
        copy("/proc/stat", proc.resolve("stat"));
        copy("/proc/loadavg", proc.resolve("loadavg"));
        copy("/proc/uptime", proc.resolve("uptime"));
        copy("/proc/meminfo", proc.resolve("meminfo"));
        for (String p : new String[] {"cpu", "memory", "io"}) {
            if (Files.exists(Path.of("/proc/pressure", p))) {
                copy("/proc/pressure/" + p, proc.resolve("pressure").resolve(p));
            }
        }
        byte[] mountinfo = Files.readAllBytes(Path.of("/proc/self/mountinfo"));
        Files.createDirectories(proc.resolve("self"));
        Files.write(proc.resolve("self/mountinfo"), mountinfo);

        List<String> containers = writeCgroups();
        writeProcesses(proc, containers, mountinfo);
    }

    // ---------------------------------------------------------------- cgroups

    /** Writes the hierarchy in every controller; returns the container cgroup paths ("/kubepods/..."). */
    private List<String> writeCgroups() throws IOException {
        // root + kubepods + burstable + besteffort = 4; every pod is 1 + its containers (2 each, the rest
        // spread over the first pods) so that the cpu hierarchy holds exactly `cgroups` directories
        int left = cgroups - 4;
        int pods = Math.max(1, left / 3);
        int containers = left - pods;
        List<String> podPaths = new ArrayList<>();
        List<String> containerPaths = new ArrayList<>();
        List<String> all = new ArrayList<>(List.of("/kubepods", "/kubepods/burstable", "/kubepods/besteffort"));
        for (int p = 0; p < pods; p++) {
            String qos = p % 3 == 2 ? "besteffort" : "burstable";
            String pod = "/kubepods/" + qos + "/pod" + uuid();
            podPaths.add(pod);
            all.add(pod);
        }
        for (int c = 0; c < containers; c++) {
            String ctr = podPaths.get(c % pods) + "/" + hex64();
            containerPaths.add(ctr);
            all.add(ctr);
        }
        Path sysfs = dir.resolve("sys/fs/cgroup");
        for (String controller : CONTROLLERS) {
            Path real = Path.of("/sys/fs/cgroup", controller);
            Path mount = sysfs.resolve(controller);
            Files.createDirectories(mount);
            List<String> rootFiles = names(real);
            List<String> childFiles = new ArrayList<>();
            for (String f : rootFiles) {
                if (!ROOT_ONLY.contains(f)) {
                    childFiles.add(f);
                }
            }
            if (controller.equals("pids")) {
                childFiles.addAll(PIDS_CHILD);
            }
            for (String f : rootFiles) {
                Path src = real.resolve(f);
                Files.write(mount.resolve(f), readOrEmpty(src));
            }
            for (String cg : all) {
                Path d = mount.resolve(cg.substring(1));
                Files.createDirectories(d);
                boolean container = cg.chars().filter(ch -> ch == '/').count() == 4;
                boolean besteffort = cg.contains("besteffort");
                for (String f : childFiles) {
                    Files.writeString(d.resolve(f), childFile(controller, f, real, container, besteffort));
                }
            }
        }
        Path unified = sysfs.resolve("unified");
        Files.createDirectories(unified);
        Files.write(unified.resolve("cgroup.controllers"),
                readOrEmpty(Path.of("/sys/fs/cgroup/unified/cgroup.controllers")));
        return containerPaths;
    }

    /** One file of a child cgroup, in the kernel's format. */
    private String childFile(String controller, String file, Path realRoot, boolean container, boolean besteffort)
            throws IOException {
        long usage = (long) (random.nextDouble() * 3_600e9); // up to an hour of CPU, in ns
        switch (file) {
            case "cpu.stat":
                long periods = random.nextInt(5_000_000);
                long throttled = besteffort ? 0 : periods / (2 + random.nextInt(50));
                return "nr_periods " + periods + "\nnr_throttled " + throttled + "\nthrottled_time "
                        + throttled * 3_000_000L + "\nnr_bursts 0\nburst_time 0\n";
            case "cpu.stat.local":
                return "throttled_time 0\n";
            case "cpu.cfs_quota_us":
                return (besteffort || !container ? -1 : 10_000L * (1 + random.nextInt(40))) + "\n";
            case "cpu.cfs_period_us":
                return "100000\n";
            case "cpu.cfs_burst_us":
                return "0\n";
            case "cpu.shares":
                return (besteffort ? 2 : 2 + random.nextInt(4096)) + "\n";
            case "cpuacct.usage":
                return usage + "\n";
            case "cpuacct.usage_user":
                return usage * 9 / 10 + "\n";
            case "cpuacct.usage_sys":
                return usage / 10 + "\n";
            case "cpuacct.stat":
                return "user " + usage * 9 / 10 / 10_000_000L + "\nsystem " + usage / 10 / 10_000_000L + "\n";
            case "cpuacct.usage_percpu":
            case "cpuacct.usage_percpu_user":
            case "cpuacct.usage_percpu_sys":
                return usage / 2 + " " + usage / 2 + " \n";
            case "cpuacct.usage_all":
                return "cpu user system\n0 " + usage / 2 + " 0\n1 " + usage / 2 + " 0\n";
            case "pids.current":
                return (container ? 1 + random.nextInt(60) : 0) + "\n";
            case "pids.max":
                return "max\n";
            case "pids.peak":
                return "64\n";
            case "pids.events":
                return "max 0\n";
            case "cgroup.procs":
            case "tasks":
                return "";
            default:
                byte[] root = readOrEmpty(realRoot.resolve(file));
                return new String(root, StandardCharsets.UTF_8);
        }
    }

    // ---------------------------------------------------------------- processes

    private record RealProcess(byte[] stat, byte[] status, byte[] schedstat, byte[] cgroup, byte[] cmdline,
                               List<byte[]> threadSchedstats) {
    }

    private void writeProcesses(Path proc, List<String> containers, byte[] mountinfo) throws IOException {
        List<RealProcess> real = readRealProcesses();
        if (real.isEmpty()) {
            throw new IOException("no readable process under /proc to copy");
        }
        // containers run user-space programs: pod processes are copies of the real processes that have a
        // command line (kernel threads have none); the host part is one copy of every real process
        List<RealProcess> user = new ArrayList<>();
        for (RealProcess p : real) {
            if (p.cmdline().length > 0) {
                user.add(p);
            }
        }
        if (user.isEmpty()) {
            user = real;
        }
        int tid = FIRST_TID;
        for (int i = 0; i < processes; i++) {
            int pid = i + 1;
            boolean host = i < real.size();
            RealProcess src = host ? real.get(i) : user.get(i % user.size());
            String cgroup = host ? null : containers.get(i % containers.size());
            Path d = proc.resolve(Integer.toString(pid));
            Files.createDirectories(d);
            Files.writeString(d.resolve("stat"), rewriteStat(src.stat(), pid));
            Files.writeString(d.resolve("status"), rewriteStatus(src.status(), pid));
            Files.write(d.resolve("schedstat"), src.schedstat());
            Files.writeString(d.resolve("cgroup"), rewriteCgroup(src.cgroup(), cgroup));
            Files.write(d.resolve("cmdline"), src.cmdline());
            if (pid == 1) {
                Files.write(d.resolve("mountinfo"), mountinfo);
            }
            for (int t = 0; t < src.threadSchedstats().size(); t++) {
                int id = t == 0 ? pid : tid++;
                Path td = d.resolve("task").resolve(Integer.toString(id));
                Files.createDirectories(td);
                Files.write(td.resolve("schedstat"), src.threadSchedstats().get(t));
            }
        }
        threads = tid - FIRST_TID + processes;
        sources = real.size() + " real processes (" + user.size() + " with a command line)";
    }

    private static List<RealProcess> readRealProcesses() throws IOException {
        List<Integer> pids = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.chars().allMatch(Character::isDigit)) {
                    pids.add(Integer.parseInt(n));
                }
            }
        }
        pids.sort(Comparator.naturalOrder());
        List<RealProcess> out = new ArrayList<>();
        for (int pid : pids) {
            Path d = Path.of("/proc", Integer.toString(pid));
            try {
                List<byte[]> threads = new ArrayList<>();
                List<String> tids = names(d.resolve("task"));
                tids.sort(Comparator.comparingInt(Integer::parseInt));
                // main thread first, as its tid equals the pid
                tids.remove(Integer.toString(pid));
                tids.add(0, Integer.toString(pid));
                for (String t : tids) {
                    threads.add(Files.readAllBytes(d.resolve("task").resolve(t).resolve("schedstat")));
                }
                out.add(new RealProcess(Files.readAllBytes(d.resolve("stat")), Files.readAllBytes(d.resolve("status")),
                        Files.readAllBytes(d.resolve("schedstat")), Files.readAllBytes(d.resolve("cgroup")),
                        Files.readAllBytes(d.resolve("cmdline")), threads));
            } catch (IOException | UncheckedIOException e) {
                // exited while we read it
            }
        }
        return out;
    }

    /** "123 (comm) S ..." → "PID (comm) S ...". */
    static String rewriteStat(byte[] stat, int pid) {
        String s = new String(stat, StandardCharsets.UTF_8);
        return pid + s.substring(s.indexOf(' '));
    }

    static String rewriteStatus(byte[] status, int pid) {
        StringBuilder out = new StringBuilder(status.length);
        for (String line : new String(status, StandardCharsets.UTF_8).split("\n", -1)) {
            int colon = line.indexOf(':');
            String key = colon < 0 ? "" : line.substring(0, colon);
            if (key.equals("Pid") || key.equals("Tgid") || key.equals("NSpid") || key.equals("NStgid")) {
                out.append(key).append(":\t").append(pid);
            } else {
                out.append(line);
            }
            out.append('\n');
        }
        out.setLength(out.length() - 1);
        return out.toString();
    }

    /** Keeps the hierarchy lines ("ID:controllers:path") and moves the process to {@code cgroup} if given. */
    static String rewriteCgroup(byte[] text, String cgroup) {
        String s = new String(text, StandardCharsets.UTF_8);
        if (cgroup == null) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        for (String line : s.split("\n")) {
            int second = line.indexOf(':', line.indexOf(':') + 1);
            if (second < 0) {
                continue;
            }
            out.append(line, 0, second + 1).append(cgroup).append('\n');
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- helpers

    private String uuid() {
        String h = hex(32);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20)
                + "-" + h.substring(20);
    }

    private String hex64() {
        return hex(64);
    }

    private String hex(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(Character.forDigit(random.nextInt(16), 16));
        }
        return b.toString();
    }

    private static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private static void copy(String from, Path to) throws IOException {
        Files.write(to, Files.readAllBytes(Path.of(from)));
    }

    private static byte[] readOrEmpty(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            return new byte[0]; // e.g. write-only or unreadable kernel files: the name is what matters
        }
    }

    private static List<String> names(Path d) throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
            for (Path p : ds) {
                out.add(p.getFileName().toString());
            }
        }
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.exists(dir.resolve(MARKER)) && !Files.exists(dir.resolve("proc"))) {
            throw new IOException(dir + " exists and is not a synthetic tree; not deleting it");
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
