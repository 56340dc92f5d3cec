package dev.nodedoctor.trace;

import dev.nodedoctor.sys.KernelFileException;
import dev.nodedoctor.sys.KernelFiles;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the system strace attached to a live process for a bounded time, then reads what it wrote.
 * <p>
 * One strace run gives both views: {@code -C} prints the line output and the {@code -c} table at the end.
 * {@code -tt -T} stamp each line and time each call, {@code -y} names the file behind each fd. strace is stopped
 * with SIGINT, as Ctrl-C or {@code timeout --signal=INT} would: it then detaches from every thread, so the
 * target runs on untouched, and writes its table. If it does not exit within {@link #GRACE}, it is killed
 * (which also detaches: the kernel ends ptrace when the tracer dies). A Ctrl-C on nodedoctor reaches strace
 * too (same process group), and a shutdown hook waits for strace to let go before the JVM exits.
 */
public final class StraceRunner {
    static final Duration GRACE = Duration.ofSeconds(5);
    public static final String INSTALL = "install it: apt-get install strace (Debian/Ubuntu), dnf install strace "
            + "(Fedora/RHEL), apk add strace (Alpine)";

    /** @param followThreads {@code -f}: all threads and children; without it strace sees one thread only */
    public record Request(int pid, Duration duration, boolean followThreads) {
    }

    private final KernelFiles files;
    private final Path strace;

    /** @param strace the strace binary; null looks it up on PATH */
    public StraceRunner(KernelFiles files, Path strace) {
        this.files = files;
        this.strace = strace;
    }

    public static Optional<Path> findOnPath() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        List<String> dirs = new ArrayList<>(List.of(path.split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/bin", "/usr/sbin", "/bin", "/sbin"));
        for (String dir : dirs) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "strace");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public static List<String> command(Path strace, Request r, Path output) {
        List<String> cmd = new ArrayList<>(List.of(strace.toString(), "-C", "-tt", "-T", "-y"));
        if (r.followThreads()) {
            cmd.add("-f");
        }
        cmd.addAll(List.of("-o", output.toString(), "-p", Integer.toString(r.pid())));
        return cmd;
    }

    public TraceSummary run(Request r) throws TraceException, IOException, InterruptedException {
        Path bin = strace != null ? strace : findOnPath().orElse(null);
        if (bin == null || !Files.isExecutable(bin)) {
            throw new TraceException(TraceException.Kind.MISSING,
                    (bin == null ? "strace is not installed" : bin + " is not an executable strace") + "; " + INSTALL);
        }
        if (r.pid() <= 0 || !files.exists("/proc/" + r.pid() + "/stat")) {
            throw new TraceException(TraceException.Kind.NO_PROCESS, "process " + r.pid() + " does not exist");
        }
        Path out = Files.createTempFile("nodedoctor-strace-", ".txt");
        try {
            List<String> cmd = command(bin, r, out);
            // the hook is in place before strace starts, so no moment exists where an exit leaves it attached
            AtomicReference<Process> running = new AtomicReference<>();
            Thread hook = new Thread(() -> {
                synchronized (running) {
                    Process q = running.getAndSet(null);
                    if (q != null) {
                        stop(q);
                    }
                }
            }, "nodedoctor-strace-detach");
            Runtime.getRuntime().addShutdownHook(hook);
            Process p;
            synchronized (running) {
                p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                running.set(p);
            }
            long t0 = System.nanoTime();
            StderrReader err = new StderrReader(p.getErrorStream());
            err.start();
            try {
                boolean ended = p.waitFor(r.duration().toNanos(), TimeUnit.NANOSECONDS);
                if (!ended) {
                    stop(p);
                }
            } catch (InterruptedException e) {
                stop(p);
                throw e;
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it stops strace itself
                }
            }
            double traced = (System.nanoTime() - t0) / 1e9;
            err.join(GRACE.toMillis());
            check(r.pid(), err.text(), p.exitValue(), out);
            TraceSummary s;
            try (InputStream in = Files.newInputStream(out)) {
                s = StraceParser.parse(in, String.join(" ", cmd));
            }
            List<String> notes = new ArrayList<>();
            if (!r.followThreads() && threads(r.pid()) > 1) {
                notes.add("only thread " + r.pid() + " was traced, the process has " + threads(r.pid())
                        + " threads: add -f to trace them all");
            }
            if (!files.exists("/proc/" + r.pid() + "/stat")) {
                notes.add("process " + r.pid() + " ended during the trace");
            }
            s = s.forRun(String.join(" ", cmd.subList(0, cmd.indexOf("-o"))) + " -p " + r.pid(), r.pid(), comm(r.pid()),
                    Math.min(traced, r.duration().toNanos() / 1e9 + GRACE.toSeconds()), notes);
            return withProcFds(files, r.pid(), s);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** SIGINT, as Ctrl-C: strace detaches from every thread and writes its -c table. Kill after the grace. */
    static void stop(Process p) {
        if (!p.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(2, TimeUnit.SECONDS);
            if (!p.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
            }
        } catch (IOException | InterruptedException e) {
            p.destroyForcibly();
        }
    }

    /** Turns strace's complaints into kinds with advice; strace writes them on stderr and produces no trace. */
    private void check(int pid, String stderr, int exit, Path out) throws TraceException, IOException {
        // strace names itself by argv[0]: "strace: ..." or "/usr/bin/strace: attach: ptrace(...): ..."
        String first = stderr.lines().map(l -> l.replaceFirst("^\\S*strace: ", "strace: "))
                .filter(l -> l.startsWith("strace: ") && !l.contains(" attached") && !l.contains(" detached"))
                .findFirst().orElse("");
        String said = first.isEmpty() ? "" : first.substring(8);
        boolean empty = Files.size(out) == 0;
        if (said.contains("Operation not permitted")) {
            throw new TraceException(TraceException.Kind.PERMISSION, "strace may not attach to process " + pid
                    + " (" + said + "): " + ptraceAdvice());
        }
        if (said.contains("No such process")) {
            throw new TraceException(TraceException.Kind.NO_PROCESS, "process " + pid + " does not exist (" + said + ")");
        }
        if (empty && exit != 0) {
            throw new TraceException(TraceException.Kind.FAILED, "strace failed (exit " + exit + ")"
                    + (said.isEmpty() ? "" : ": " + said));
        }
    }

    /** Why ptrace is refused and what to do: Yama's scope on this machine, the capability, containers. */
    String ptraceAdvice() {
        String scope = null;
        try {
            scope = files.readText("/proc/sys/kernel/yama/ptrace_scope").trim();
        } catch (KernelFileException e) {
            // no Yama on this kernel: only the capability and uid rules apply
        }
        String yama = scope == null ? "this kernel has no Yama LSM (kernel.yama.ptrace_scope absent; where it "
                + "exists, 1 allows tracing only descendants, 2 only with CAP_SYS_PTRACE, 3 not at all), so "
                : "kernel.yama.ptrace_scope is " + scope + " (" + switch (scope) {
                    case "0" -> "any process of the same user may be traced";
                    case "1" -> "only descendants, unless the target allows it: run as root or with CAP_SYS_PTRACE";
                    case "2" -> "only with CAP_SYS_PTRACE: run as root";
                    case "3" -> "no ptrace at all until reboot";
                    default -> "unknown value";
                } + "); ";
        return yama + "tracing another user's process needs root or CAP_SYS_PTRACE (sudo nodedoctor strace ..., "
                + "or in a pod securityContext.capabilities.add: [SYS_PTRACE]); a process already traced (by gdb, "
                + "another strace) cannot be traced twice";
    }

    /** The process name, as in /proc/PID/comm (what ps and top show); null when it is gone. */
    String comm(int pid) {
        return comm(files, pid);
    }

    public static String comm(KernelFiles files, int pid) {
        try {
            return files.readText("/proc/" + pid + "/comm").strip();
        } catch (KernelFileException e) {
            return null;
        }
    }

    private int threads(int pid) {
        try {
            return files.list("/proc/" + pid + "/task").size();
        } catch (KernelFileException e) {
            return 0;
        }
    }

    /**
     * Fills in the files of fds the trace did not name (no -y, and opened before the trace started) from
     * /proc/PID/fd/N, while the process lives. An fd may have been reused since: the caller says so.
     */
    public static TraceSummary withProcFds(KernelFiles files, int pid, TraceSummary s) {
        return s.withPaths(resolveFds(files, pid, s));
    }

    private static Map<Integer, String> resolveFds(KernelFiles files, int pid, TraceSummary s) {
        Map<Integer, String> out = new HashMap<>();
        for (FileTime f : s.files()) {
            if (f.path() != null || out.containsKey(f.fd())) {
                continue;
            }
            Path link = files.resolve("/proc/" + pid + "/fd/" + f.fd());
            try {
                out.put(f.fd(), Files.readSymbolicLink(link).toString());
            } catch (IOException | UnsupportedOperationException e) {
                // closed since, or not ours to read: the evidence then names the fd number only
            }
        }
        return out;
    }

    /** Drains strace's stderr so it never blocks on a full pipe; keeps the first 64 KiB. */
    private static final class StderrReader extends Thread {
        private final InputStream in;
        private final StringBuilder text = new StringBuilder();

        StderrReader(InputStream in) {
            super("nodedoctor-strace-stderr");
            setDaemon(true);
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (text) {
                        if (text.length() < 65536) {
                            text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                        }
                    }
                }
            } catch (IOException e) {
                // strace went away: what we have is all there is
            }
        }

        String text() {
            synchronized (text) {
                return text.toString();
            }
        }
    }
}
