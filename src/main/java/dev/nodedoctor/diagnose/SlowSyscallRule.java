package dev.nodedoctor.diagnose;

import dev.nodedoctor.trace.FileTime;
import dev.nodedoctor.trace.SyscallStats;
import dev.nodedoctor.trace.TraceSummary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code syscall.slow}: a system call that should be quick takes long on average — the kubelet's {@code read} of
 * a cgroup {@code memory.stat} that takes seconds over many dying cgroups, an {@code openat} on a hung NFS
 * mount, an {@code fsync} on a saturated disk. Calls whose job is to wait (futex, epoll_wait, poll, nanosleep,
 * wait4, accept, reads of sockets and pipes) are long by design and are not judged.
 */
public final class SlowSyscallRule extends ConfiguredRule {
    public static final String ID = "syscall.slow";

    public static final Threshold MEAN_MS = new Threshold("syscall.slow.mean-ms", 10,
            "mean time of one call, milliseconds (strace -T, wall time)",
            "nodedoctor: reads of /proc and cgroup files and metadata calls take microseconds on a healthy "
                    + "node; 10 ms is a thousand times that and at the scale of a disk seek");
    public static final Threshold MIN_CALLS = new Threshold("syscall.slow.min-calls", 3,
            "calls needed before a mean is trusted",
            "nodedoctor: one slow call is an outlier, three make a pattern");
    static final int MAX_REPORTED = 5;

    /** Calls that block until something happens: their time is waiting, not slowness. */
    static final Set<String> WAITING = Set.of("futex", "epoll_wait", "epoll_pwait", "epoll_pwait2", "poll", "ppoll",
            "select", "pselect6", "nanosleep", "clock_nanosleep", "wait4", "waitid", "waitpid", "pause",
            "rt_sigsuspend", "rt_sigtimedwait", "sigsuspend", "restart_syscall", "accept", "accept4", "recvfrom",
            "recvmsg", "recvmmsg", "msgrcv", "semop", "semtimedop", "io_getevents", "io_uring_enter", "connect",
            "sched_yield", "exit", "exit_group", "execve", "clone", "clone3", "fork", "vfork", "flock", "fcntl");


    public SlowSyscallRule(Thresholds thresholds) {
        super(ID, thresholds);
    }


    @Override
    public List<Finding> evaluate(Observations obs) {
        TraceSummary t = obs.trace().get().orElse(null);
        if (t == null) {
            return List.of();
        }
        double limitMicros = value(MEAN_MS) * 1000;
        long minCalls = (long) value(MIN_CALLS);
        List<Finding> out = new ArrayList<>();
        // fd I/O is judged per file (a slow read of memory.stat, not reads of a socket that waits for data)
        for (FileTime f : t.files()) {
            if (out.size() == MAX_REPORTED) {
                return out;
            }
            if (f.calls() >= minCalls && f.meanMicros() >= limitMicros && isFile(f.path())) {
                out.add(fileFinding(t, f));
            }
        }
        for (SyscallStats s : t.syscalls()) {
            if (out.size() == MAX_REPORTED) {
                break;
            }
            boolean perFd = t.fromLines() && t.files().stream().anyMatch(f -> f.syscall().equals(s.name()));
            if (WAITING.contains(s.name()) || perFd || s.calls() < minCalls || !(s.meanMicros() >= limitMicros)) {
                continue;
            }
            if (!t.fromLines() && (s.name().startsWith("read") || s.name().startsWith("pread"))) {
                continue; // a -c table cannot tell a slow file from a socket waiting for data
            }
            out.add(callFinding(t, s));
        }
        return out;
    }

    /** A path of a file (not socket:[…], pipe:[…], anon_inode:…, TCP:[…] from -y). */
    static boolean isFile(String path) {
        return path != null && path.startsWith("/") && !path.startsWith("/dev/pts") && !path.startsWith("/dev/tty");
    }

    private Finding fileFinding(TraceSummary t, FileTime f) {
        String src = t.source();
        List<Evidence> ev = new ArrayList<>();
        ev.add(Evidence.of("mean " + f.syscall() + " time", f.meanMicros() / 1000, "ms", src));
        ev.add(Evidence.of("longest", f.maxSeconds() * 1000, "ms", src));
        ev.add(Evidence.of("calls", f.calls(), "", src));
        ev.add(Evidence.of("time in them", f.seconds(), "s", src));
        ev.add(Evidence.text("file (fd " + f.fd() + ")", f.path(), t.pid() > 0 ? "/proc/" + t.pid() + "/fd/" + f.fd() : src));
        boolean kernelFile = f.path().startsWith("/sys/") || f.path().startsWith("/proc/");
        String title = String.format(Locale.ROOT, "%s of %s takes %.1f ms per call (%d calls)", f.syscall(),
                f.path(), f.meanMicros() / 1000, f.calls());
        String why = kernelFile
                ? "This is a kernel file: its content is computed on every read. Cgroup statistics such as "
                + "memory.stat walk every descendant cgroup, dying ones included, so with thousands of dying "
                + "memory cgroups one read takes milliseconds to seconds — and every agent reading it (kubelet, "
                + "cAdvisor, node_exporter) pays it."
                : "Reading or writing this file waits for storage: a saturated or slow disk, a network "
                + "filesystem, or contention on the file.";
        String fix = kernelFile
                ? "Check the cgroup tree: `nodedoctor diagnose` (kernel.read-timeout), count dying cgroups "
                + "(`grep memory /proc/cgroups` vs. the directories), and time the file by hand: `time cat "
                + f.path() + "`. Drop caches of old cgroups or reboot the node to clear dying ones; read it less often."
                : "Check the device: `iostat -x 1`, `nodedoctor diagnose` (cpu.iowait); move the file to faster "
                + "storage or make the access asynchronous.";
        return new Finding(ID, Severity.WARNING, TraceRules.subject(t), title, ev, why, fix,
                List.of("man 1 strace (-T, -y)", "https://docs.kernel.org/admin-guide/cgroup-v2.html"), List.of(),
                f.meanMicros() / 1000);
    }

    private Finding callFinding(TraceSummary t, SyscallStats s) {
        String src = t.source();
        List<Evidence> ev = new ArrayList<>();
        ev.add(Evidence.of("mean " + s.name() + " time", s.meanMicros() / 1000, "ms", src));
        if (!Double.isNaN(s.maxSeconds())) {
            ev.add(Evidence.of("longest", s.maxSeconds() * 1000, "ms", src));
        }
        ev.add(Evidence.of("calls", s.calls(), "", src));
        ev.add(Evidence.of("time in them", s.seconds(), "s", src));
        if (!t.fromLines()) {
            ev.add(Evidence.text("time measure", "the -c table's time (system time unless -w)", src));
        }
        String title = String.format(Locale.ROOT, "%s takes %.1f ms per call (%d calls)", s.name(),
                s.meanMicros() / 1000, s.calls());
        String why = "This call normally returns in microseconds. A long mean points at the kernel waiting for "
                + "something: a slow or hung filesystem (NFS, FUSE, an overloaded disk for open/stat/fsync), a "
                + "lock inside the kernel (mmap_lock for mmap/munmap, cgroup locks), or memory pressure (reclaim).";
        String fix = "See which calls and arguments are slow: `strace -f -tt -T -e trace=" + s.name() + " -p "
                + (t.pid() > 0 ? t.pid() : "PID") + "` and look at the largest <…> times; check `cat /proc/"
                + (t.pid() > 0 ? t.pid() : "PID") + "/stack` while it is slow.";
        return new Finding(ID, Severity.WARNING, TraceRules.subject(t), title, ev, why, fix,
                List.of("man 1 strace (-T)"), List.of(), s.meanMicros() / 1000);
    }
}
