package dev.nodedoctor.trace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static dev.nodedoctor.trace.StraceText.afterComma;
import static dev.nodedoctor.trace.StraceText.cut;
import static dev.nodedoctor.trace.StraceText.isDigit;
import static dev.nodedoctor.trace.StraceText.isErrnoChar;
import static dev.nodedoctor.trace.StraceText.isNameChar;
import static dev.nodedoctor.trace.StraceText.pathEnd;
import static dev.nodedoctor.trace.StraceText.quoted;
import static dev.nodedoctor.trace.StraceText.seconds;
import static dev.nodedoctor.trace.StraceText.timestamp;

/**
 * Reads strace output: line output ({@code -f}, {@code -t}/{@code -tt}/{@code -ttt}, {@code -T}, {@code -y}) and
 * {@code -c} summary tables, alone or together ({@code -C}), as written by strace 4.x to 6.x.
 * <p>
 * It understands: a thread id prefix ({@code 1234  } with {@code -o}, {@code [pid  1234] } on stderr), calls
 * split over two lines ({@code <unfinished ...>} … {@code <... futex resumed>}), signals ({@code --- SIGCHLD}),
 * exits ({@code +++ exited with 0 +++}), strings shortened with {@code ...}, and strace's own messages. Lines it
 * does not understand are counted, never fatal: a cut-off or mixed file gives a partial summary and notes.
 * <p>
 * The input is bytes (strace writes escaped ASCII); lines are decoded as ISO-8859-1, one byte per char, which
 * is both exact for strace output and the cheapest decoding. Lines over {@link #MAX_LINE} bytes are cut.
 */
public final class StraceParser {
    /** strace shortens strings to -s bytes (default 32); a megabyte line is not strace output. */
    static final int MAX_LINE = 1 << 20;
    private static final int KEEP_EXAMPLES = 3;
    /** Calls whose first argument is a file descriptor doing I/O: their time is kept per fd. */
    static final Set<String> FD_IO = Set.of("read", "pread64", "readv", "preadv", "preadv2", "write", "pwrite64",
            "writev", "pwritev", "pwritev2", "getdents64", "getdents", "fsync", "fdatasync", "ioctl", "lseek",
            "fstat", "newfstatat", "recvfrom", "recvmsg", "sendto", "sendmsg", "sendfile", "splice");

    private final Map<String, Agg> calls = new HashMap<>();
    private final Map<Integer, double[]> threads = new HashMap<>(); // tid -> {calls, errors, seconds}
    private final Map<String, Map<Integer, FileAgg>> files = new HashMap<>();
    private final Map<Integer, String> openFds = new HashMap<>();
    private final Map<Integer, Pending> pending = new HashMap<>();
    private final List<SyscallStats> table = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> examples = new ArrayList<>();
    private boolean timed;
    private boolean inTable;
    private boolean tableOpen;
    /** The start of a line that strace's own message interrupted (stderr output interleaves them). */
    private String carry;
    private long futexWaits;
    private long futexTimeouts;
    private long signals;
    private long exits;
    private long lines;
    private long unparsed;
    private long cutLines;
    private double lastTime = Double.NaN;
    private boolean lastWasTimeOfDay;
    private boolean stamped;
    private double window;
    private long seams;

    private record Pending(String name, int fd, String path, boolean futexWait) {
    }

    private static final class Agg {
        long calls;
        long errors;
        double seconds;
        double max;
        final Map<String, long[]> errnos = new HashMap<>();
    }

    private static final class FileAgg {
        String path;
        long calls;
        double seconds;
        double max;
    }

    private StraceParser() {
    }

    /** Parses everything from {@code in}; {@code source} names it in the summary (a file name, a command). */
    public static TraceSummary parse(InputStream in, String source) throws IOException {
        StraceParser p = new StraceParser();
        p.readAll(in);
        return p.summary(source);
    }

    public static TraceSummary parse(String text, String source) {
        StraceParser p = new StraceParser();
        try {
            p.readAll(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)));
        } catch (IOException e) {
            throw new IllegalStateException(e); // not from a byte array
        }
        return p.summary(source);
    }

    private void readAll(InputStream in) throws IOException {
        byte[] buf = new byte[1 << 16];
        byte[] carry = new byte[1 << 12];
        int carried = 0;
        boolean cutting = false;
        int n;
        while ((n = in.read(buf)) > 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buf[i] != '\n') {
                    continue;
                }
                if (carried == 0 && !cutting) {
                    line(new String(buf, start, i - start, StandardCharsets.ISO_8859_1));
                } else {
                    if (!cutting) {
                        carry = append(carry, carried, buf, start, i - start);
                        carried += i - start;
                        line(new String(carry, 0, Math.min(carried, MAX_LINE), StandardCharsets.ISO_8859_1));
                    } else {
                        cutLine();
                    }
                    carried = 0;
                    cutting = false;
                }
                start = i + 1;
            }
            if (start < n && !cutting) {
                if (carried + (n - start) > MAX_LINE) {
                    cutting = true;
                    carried = 0;
                } else {
                    carry = append(carry, carried, buf, start, n - start);
                    carried += n - start;
                }
            }
        }
        if (cutting) {
            cutLine();
        } else if (carried > 0) {
            String last = new String(carry, 0, carried, StandardCharsets.ISO_8859_1);
            long before = unparsed;
            line(last);
            if (unparsed > before) {
                notes.add("the last line is incomplete (the output was cut off): " + cut(last));
            }
        }
    }

    private void cutLine() {
        lines++;
        unparsed++;
        cutLines++;
    }

    private static byte[] append(byte[] to, int used, byte[] from, int off, int len) {
        if (used + len > to.length) {
            to = java.util.Arrays.copyOf(to, Math.max(to.length * 2, used + len));
        }
        System.arraycopy(from, off, to, used, len);
        return to;
    }

    private void line(String s) {
        lines++;
        if (carry != null) {
            s = carry + s;
            carry = null;
        }
        int n = s.length();
        if (n > 0 && s.charAt(n - 1) == '\r') {
            n--;
        }
        if (n == 0) {
            return;
        }
        if (inTable || s.startsWith("% time") || s.startsWith("  % time")) {
            tableLine(s.trim());
            return;
        }
        if (s.startsWith("strace: ")) {
            strace(s);
            return;
        }
        int p = 0;
        int tid = 0;
        if (s.startsWith("[pid ")) {
            p = 5;
            while (p < n && s.charAt(p) == ' ') {
                p++;
            }
            int q = p;
            while (q < n && isDigit(s.charAt(q))) {
                q++;
            }
            if (q == p || q >= n || s.charAt(q) != ']') {
                bad(s);
                return;
            }
            tid = Integer.parseInt(s, p, q, 10);
            p = q + 1;
        } else if (n > 0 && isDigit(s.charAt(0))) {
            int q = 0;
            while (q < n && isDigit(s.charAt(q))) {
                q++;
            }
            if (q < n && s.charAt(q) == ' ' && q <= 10) {
                tid = Integer.parseInt(s, 0, q, 10);
                p = q;
            }
        }
        while (p < n && s.charAt(p) == ' ') {
            p++;
        }
        if (p < n && isDigit(s.charAt(p))) { // -t, -tt (time of day), -ttt (epoch seconds) or -r
            int q = p;
            while (q < n && s.charAt(q) != ' ') {
                q++;
            }
            double t = timestamp(s, p, q);
            if (Double.isNaN(t)) {
                bad(s);
                return;
            }
            clock(t, q - p > 2 && s.charAt(p + 2) == ':');
            p = q;
            while (p < n && s.charAt(p) == ' ') {
                p++;
            }
        }
        if (p >= n) {
            bad(s);
            return;
        }
        char c = s.charAt(p);
        if (c == '-' && s.startsWith("--- ", p)) {
            signals++;
        } else if (c == '+' && s.startsWith("+++ ", p)) {
            exits++;
        } else if (c == '<' && s.startsWith("<... ", p)) {
            resumed(s, p + 5, n, tid);
        } else {
            call(s, p, n, tid);
        }
    }

    private void strace(String s) {
        // "strace: Process 25635 attached with 4 threads", "... detached": bookkeeping, not evidence
        if (s.contains(" attached") || s.contains(" detached") || s.contains("ptrace_syscall_info")) {
            return;
        }
        if (notes.size() < 20) {
            notes.add(cut(s));
        }
    }

    private void resumed(String s, int p, int n, int tid) {
        int end = s.indexOf(" resumed>", p);
        if (end < 0) {
            bad(s);
            return;
        }
        String name = s.substring(p, end);
        Pending started = pending.remove(tid);
        int fd = -1;
        String path = null;
        boolean futexWait = false;
        if (started != null && started.name().equals(name)) {
            fd = started.fd();
            path = started.path();
            futexWait = started.futexWait();
        }
        finish(s, end + 9, n, tid, name, fd, path, futexWait);
    }

    private void call(String s, int p, int n, int tid) {
        int open = p;
        while (open < n && isNameChar(s.charAt(open))) {
            open++;
        }
        if (open == p || open >= n || s.charAt(open) != '(') {
            bad(s);
            return;
        }
        String name = s.substring(p, open);
        int args = open + 1;
        int fd = -1;
        String path = null;
        if (FD_IO.contains(name) || name.equals("close")) {
            int q = args;
            while (q < n && isDigit(s.charAt(q))) {
                q++;
            }
            if (q > args && q - args < 10) {
                fd = Integer.parseInt(s, args, q, 10);
                if (q < n && s.charAt(q) == '<') { // -y: 3</sys/fs/cgroup/memory/memory.stat>
                    int gt = pathEnd(s, q);
                    if (gt > 0) {
                        path = s.substring(q + 1, gt);
                    }
                }
            }
        } else if (name.equals("openat") || name.equals("open") || name.equals("creat")) {
            path = quoted(s, args, n);
        }
        boolean futexWait = name.equals("futex") && s.startsWith("FUTEX_WAIT", afterComma(s, args, n))
                || name.equals("restart_syscall") && s.startsWith("<... resuming interrupted futex", args);
        if (s.endsWith("<unfinished ...>")) {
            pending.put(tid, new Pending(name, fd, path, futexWait));
            return;
        }
        if (s.endsWith("<detached ...>")) {
            return; // strace let go of the thread mid-call: no result to count
        }
        finish(s, args, n, tid, name, fd, path, futexWait);
    }

    /** Counts one completed call: result, errno, -T time, per thread and per file. */
    private void finish(String s, int from, int n, int tid, String name, int fd, String path, boolean futexWait) {
        int end = n;
        double dur = Double.NaN;
        if (s.charAt(n - 1) == '>') {
            int lt = s.lastIndexOf('<', n - 1);
            if (lt > from) {
                dur = seconds(s, lt + 1, n - 1);
                if (!Double.isNaN(dur)) {
                    end = lt;
                    timed = true;
                }
            }
        }
        int eq = s.lastIndexOf(" = ", end);
        if (eq < from - 1) {
            bad(s);
            return;
        }
        int r = eq + 3;
        int rEnd = s.indexOf(' ', r);
        if (rEnd < 0 || rEnd > end) {
            rEnd = end;
        }
        String errno = null;
        char r0 = r < n ? s.charAt(r) : ' ';
        if (r0 == '-' || r0 == '?') {
            int e = rEnd + 1;
            if (e < end && s.charAt(e) == 'E') {
                int eEnd = e;
                while (eEnd < end && isErrnoChar(s.charAt(eEnd))) {
                    eEnd++;
                }
                errno = s.substring(e, eEnd);
            }
        }
        Agg a = calls.computeIfAbsent(name, k -> new Agg());
        a.calls++;
        if (errno != null) {
            a.errors++;
            a.errnos.computeIfAbsent(errno, k -> new long[1])[0]++;
        }
        if (!Double.isNaN(dur)) {
            a.seconds += dur;
            a.max = Math.max(a.max, dur);
        }
        double[] t = threads.computeIfAbsent(tid, k -> new double[3]);
        t[0]++;
        if (errno != null) {
            t[1]++;
        }
        if (!Double.isNaN(dur)) {
            t[2] += dur;
        }
        if (futexWait) {
            futexWaits++;
            if ("ETIMEDOUT".equals(errno)) {
                futexTimeouts++;
            }
        }
        if (errno == null) {
            track(s, r, rEnd, name, fd, path, dur);
        }
    }

    /** Keeps fd → path from open/close, and the time of I/O calls per fd. */
    private void track(String s, int r, int rEnd, String name, int fd, String path, double dur) {
        if (path != null && (name.equals("openat") || name.equals("open") || name.equals("creat"))) {
            int q = r;
            while (q < rEnd && isDigit(s.charAt(q))) {
                q++;
            }
            if (q > r && q - r < 10) {
                openFds.put(Integer.parseInt(s, r, q, 10), path);
            }
            return;
        }
        if (fd < 0) {
            return;
        }
        if (name.equals("close")) {
            openFds.remove(fd);
            return;
        }
        FileAgg f = files.computeIfAbsent(name, k -> new HashMap<>()).computeIfAbsent(fd, k -> new FileAgg());
        f.calls++;
        if (!Double.isNaN(dur)) {
            f.seconds += dur;
            f.max = Math.max(f.max, dur);
        }
        String known = path != null ? path : openFds.get(fd);
        if (known != null) {
            f.path = known;
        }
    }

    private void tableLine(String s) {
        if (s.startsWith("% time")) {
            inTable = true;
            tableOpen = true;
            table.clear();
            return;
        }
        if (s.isEmpty() || s.startsWith("---")) {
            return;
        }
        String[] tok = s.split("\\s+");
        // % time, seconds, usecs/call, calls, [errors], syscall: errors is blank when there were none
        if (tok.length < 5 || tok.length > 6) {
            bad(s);
            inTable = false;
            return;
        }
        try {
            double sec = Double.parseDouble(tok[1].replace(',', '.')); // some locales print 0,003708
            long count = Long.parseLong(tok[3]);
            long errors = tok.length == 6 ? Long.parseLong(tok[4]) : 0;
            String name = tok[tok.length - 1];
            if (name.equals("total")) {
                inTable = false;
                tableOpen = false;
                return;
            }
            table.add(new SyscallStats(name, count, errors, Map.of(), sec, Double.NaN));
        } catch (NumberFormatException e) {
            bad(s);
            inTable = false;
        }
    }

    /**
     * The trace window is the sum of the forward steps between consecutive stamps: equal to last − first for
     * one trace, and still sane for concatenated traces (a step back, or forward by over an hour, is a seam
     * between traces and adds nothing). -tt stamps wrap at midnight: 23:59:59 → 00:00:00 is a step of 1 s.
     */
    private void clock(double t, boolean timeOfDay) {
        if (!Double.isNaN(lastTime)) {
            double step = t - lastTime;
            if (timeOfDay && lastWasTimeOfDay && step < -43200) {
                step += 86400;
            }
            if (step >= 0 && step <= 3600) {
                window += step;
            } else if (step < -1 || step > 3600) {
                seams++;
            }
        }
        lastTime = t;
        lastWasTimeOfDay = timeOfDay;
        stamped = true;
    }

    private void bad(String s) {
        int k = s.indexOf("strace: Process ");
        if (k > 0 && s.length() - k < 80) {
            // "...SIGCHLDstrace: Process 3320 attached": the call goes on in the next line
            carry = s.substring(0, k);
            return;
        }
        unparsed++;
        if (examples.size() < KEEP_EXAMPLES) {
            examples.add(cut(s));
        }
    }

    private TraceSummary summary(String source) {
        List<SyscallStats> stats = new ArrayList<>();
        for (Map.Entry<String, Agg> e : calls.entrySet()) {
            Agg a = e.getValue();
            Map<String, Long> errnos = new TreeMap<>();
            a.errnos.forEach((k, v) -> errnos.put(k, v[0]));
            stats.add(new SyscallStats(e.getKey(), a.calls, a.errors, errnos, timed ? a.seconds : Double.NaN,
                    timed ? a.max : Double.NaN));
        }
        stats.sort(Comparator.comparingDouble((SyscallStats x) -> timed ? x.seconds() : 0).reversed()
                .thenComparing(Comparator.comparingLong(SyscallStats::calls).reversed())
                .thenComparing(SyscallStats::name));
        List<ThreadStats> ts = new ArrayList<>();
        threads.forEach((tid, v) -> ts.add(new ThreadStats(tid, (long) v[0], (long) v[1], timed ? v[2] : Double.NaN)));
        ts.sort(Comparator.comparingLong(ThreadStats::calls).reversed().thenComparingInt(ThreadStats::tid));
        List<FileTime> fs = new ArrayList<>();
        files.forEach((name, byFd) -> byFd.forEach((fd, f) -> fs.add(new FileTime(name, fd, f.path, f.calls,
                timed ? f.seconds : Double.NaN, timed ? f.max : Double.NaN))));
        fs.sort(Comparator.comparingDouble((FileTime f) -> Double.isNaN(f.seconds()) ? 0 : f.seconds()).reversed()
                .thenComparing(Comparator.comparingLong(FileTime::calls).reversed()));
        List<String> n = new ArrayList<>();
        if (!pending.isEmpty()) {
            n.add(pending.size() + " call(s) were still in progress when the trace ended (not counted): "
                    + String.join(", ", pending.values().stream().map(Pending::name).distinct().sorted().toList()));
        }
        if (carry != null) {
            unparsed++;
        }
        if (tableOpen) {
            n.add("the -c table has no 'total' line: the output was cut off");
        }
        if (unparsed > 0) {
            n.add(unparsed + " of " + lines + " lines were not strace output"
                    + (cutLines > 0 ? " (" + cutLines + " longer than " + MAX_LINE + " bytes)" : "")
                    + (examples.isEmpty() ? "" : ", e.g. " + String.join(" | ", examples)));
        }
        if (calls.isEmpty() && table.isEmpty()) {
            n.add("no system calls in the input (not strace output, or the process made none)");
        }
        n.addAll(notes);
        if (seams > 0) {
            n.add("the timestamps jump " + seams + " time(s) (back, or forward by over an hour): several traces in "
                    + "one file? The window counts only the steady parts");
        }
        return new TraceSummary(source, 0, null, stats, table, ts, futexWaits, futexTimeouts, fs,
                stamped && window > 0 ? window : Double.NaN, signals, exits,
                lines, unparsed, n);
    }
}
