package dev.nodedoctor.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one strace session (live or saved) says about a process: calls, errors by errno and time per
 * syscall, per thread, the futex timed waits, and the time spent per file.
 *
 * @param source        the file parsed or the strace command run, for the evidence
 * @param pid           the traced process when known (live runs), else 0
 * @param process       its name ({@code /proc/PID/comm}) when known, else null
 * @param lineStats     per syscall from the line output, most time first (calls first when untimed); empty
 *                      when the input had no line output
 * @param tableStats    per syscall from a {@code -c} table, in its order (most time first); empty without one
 * @param threads       per thread from the line output, most calls first
 * @param futexWaits    completed FUTEX_WAIT* calls (any variant: _PRIVATE, _BITSET, …)
 * @param futexTimeouts those of them that returned ETIMEDOUT
 * @param files         I/O time per (syscall, fd), most time first
 * @param seconds       the window: last minus first timestamp of the line output, or the traced time of a
 *                      live run; NaN when unknown (a lone -c table has no clock)
 * @param signals       signals delivered ({@code --- SIGCHLD ... ---})
 * @param exits         threads or processes that exited or were killed ({@code +++ exited with 0 +++})
 * @param lines         lines read
 * @param unparsed      lines that were not strace output (counted, the first few kept in notes)
 * @param notes         what the reader should know: truncation, unmatched lines, strace's own messages
 */
public record TraceSummary(String source, int pid, String process, List<SyscallStats> lineStats, List<SyscallStats> tableStats,
                           List<ThreadStats> threads, long futexWaits, long futexTimeouts, List<FileTime> files,
                           double seconds, long signals, long exits, long lines, long unparsed,
                           List<String> notes) {

    public TraceSummary {
        lineStats = List.copyOf(lineStats);
        tableStats = List.copyOf(tableStats);
        threads = List.copyOf(threads);
        files = List.copyOf(files);
        notes = List.copyOf(notes);
    }

    /** The best per-syscall view: the line output (has errnos and wall times) when present, else the table. */
    public List<SyscallStats> syscalls() {
        return lineStats.isEmpty() ? tableStats : lineStats;
    }

    public boolean fromLines() {
        return !lineStats.isEmpty();
    }

    public boolean isEmpty() {
        return lineStats.isEmpty() && tableStats.isEmpty();
    }

    public Optional<SyscallStats> syscall(String name) {
        return syscalls().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public long totalCalls() {
        return syscalls().stream().mapToLong(SyscallStats::calls).sum();
    }

    public double totalSeconds() {
        return syscalls().stream().mapToDouble(SyscallStats::seconds).filter(d -> !Double.isNaN(d)).sum();
    }

    /** A copy with file paths filled in for fds that had none (resolved through /proc/PID/fd). */
    public TraceSummary withPaths(Map<Integer, String> byFd) {
        List<FileTime> out = new ArrayList<>();
        for (FileTime f : files) {
            out.add(f.path() == null && byFd.containsKey(f.fd()) ? f.withPath(byFd.get(f.fd())) : f);
        }
        return new TraceSummary(source, pid, process, lineStats, tableStats, threads, futexWaits, futexTimeouts, out,
                seconds, signals, exits, lines, unparsed, notes);
    }

    /** A copy for a live run: the pid traced, the command, the traced time and notes of the runner. */
    public TraceSummary forRun(String command, int tracedPid, String name, double tracedSeconds,
                               List<String> moreNotes) {
        List<String> n = new ArrayList<>(notes);
        n.addAll(moreNotes);
        return new TraceSummary(command, tracedPid, name, lineStats, tableStats, threads, futexWaits, futexTimeouts, files,
                tracedSeconds, signals, exits, lines, unparsed, n);
    }
}
