package dev.nodedoctor.kernel;

import dev.nodedoctor.kernel.OomReport.Reaped;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;

import static dev.nodedoctor.kernel.OomLines.CPUSET_LINE;
import static dev.nodedoctor.kernel.OomLines.CPU_LINE;
import static dev.nodedoctor.kernel.OomLines.GROUP;
import static dev.nodedoctor.kernel.OomLines.KILL;
import static dev.nodedoctor.kernel.OomLines.REAPED;
import static dev.nodedoctor.kernel.OomLines.isBody;
import static dev.nodedoctor.kernel.OomLines.victim;

/**
 * Assembles multi-line OOM-killer reports from kernel-log lines. A report starts at
 * {@code X invoked oom-killer:} and ends at its kill line ({@code Killed process …}) or at
 * {@code Out of memory and no killable processes}; the {@code oom_reaper:} line and {@code memory.oom.group}
 * kills that follow are attached to it.
 * <p>
 * Several reports can be open at once: older kernels took the memcg OOM lock per cgroup, so two cgroups'
 * reports could interleave, and other kernel messages always can. A line goes to a report by, in order: the
 * {@code [T1234]} caller tag of {@code CONFIG_PRINTK_CALLER}; its content ({@code CPU: … Comm: X} and
 * {@code X cpuset=} name the trigger; a kill line names a pid of the task table or of {@code oom-kill:});
 * then the oldest open report whose current section takes the line or that still lacks what the line says.
 * Lines that fit nowhere are skipped. A report still open at the end of the input, or abandoned, is emitted
 * with {@code complete=false}.
 * <p>
 * Streaming: {@link #accept(KernelLogLine)} each line, then {@link #finish()}; reports arrive at the sink in
 * the order they end.
 */
public final class OomReportParser {
    /** An open report that received no line for this many input lines is given up as cut off. */
    static final int ABANDON_AFTER_LINES = 5000;
    /** Lines after a kill in which its oom_reaper line and memory.oom.group kills are still looked for. */
    static final int TAIL_LINES = 1000;
    /** An open report whose last line is this much older than a new report's start is taken as cut off. */
    static final double STALE_SECONDS = 5.0;

    private final java.util.function.Consumer<OomReport> sink;
    private final List<OomReportBuilder> open = new ArrayList<>();
    /** Recently finished reports, for the oom_reaper and oom.group lines that come after the kill. */
    private final Deque<OomReportBuilder> recent = new ArrayDeque<>();
    private long lines;
    private long lastSequence = -1;

    public OomReportParser(java.util.function.Consumer<OomReport> sink) {
        this.sink = sink;
    }

    private long linesRead() {
        return lines;
    }

    /** Every report in some lines. */
    public static List<OomReport> parse(List<KernelLogLine> lines) {
        List<OomReport> out = new ArrayList<>();
        OomReportParser p = new OomReportParser(out::add);
        for (KernelLogLine l : lines) {
            p.accept(l);
        }
        p.finish();
        return out;
    }

    public void accept(KernelLogLine line) {
        lines++;
        if (!recent.isEmpty()) {
            emitSettled();
        }
        if (!line.fromKernel()) {
            return;
        }
        Long seq = line.sequence();
        if (seq != null) {
            if (lastSequence >= 0 && seq > lastSequence + 1) {
                // kmsg records overwritten in the ring (EPIPE) while a report was being printed
                for (OomReportBuilder o : open) {
                    o.problems.add((seq - lastSequence - 1) + " kmsg record(s) inside this report were overwritten"
                            + " before they could be read: parts of it are missing");
                }
            }
            lastSequence = seq;
        }
        String t = line.text();
        // leading blanks: continuation lines of dmesg ("  active_file:…") and of pastes
        String s = t.isEmpty() || t.charAt(0) != ' ' ? t : t.strip();
        if (s.contains("invoked oom-killer:")) {
            start(line, s);
            return;
        }
        if (open.isEmpty()) {
            // outside a report only its tail can matter: the reaper, oom.group kills, a report cut at its start
            if (s.startsWith("oom_reaper:") || s.startsWith("Tasks in ") || s.contains("Killed process")
                    || s.startsWith("Memory cgroup out of memory: Kill")) {
                tail(line, s);
            } else if (isBody(s)) {
                // the log begins inside a report (ring overwritten, excerpt): keep what is left of it
                OomReportBuilder b = new OomReportBuilder(null, this::linesRead);
                b.firstLine = line.line();
                b.problems.add("the start of the report is missing (the log begins inside it)");
                open.add(b);
                give(b, line, s);
            }
            return;
        }
        route(line, s);
        abandonQuiet();
    }

    /** Ends the input: open reports are emitted as incomplete. */
    public void finish() {
        for (OomReportBuilder b : new ArrayList<>(open)) {
            b.problems.add("the report ends without a kill line: the log stops inside it (truncated)");
            close(b, false);
        }
        while (!recent.isEmpty()) {
            emit(recent.removeFirst());
        }
    }

    // ---- routing --------------------------------------------------------------------------------------------

    private void start(KernelLogLine line, String s) {
        if (line.caller() != null) {
            for (OomReportBuilder b : new ArrayList<>(open)) {
                if (line.caller().equals(b.caller)) {
                    b.problems.add("a new report of the same task began before this one reached its kill line");
                    close(b, false);
                }
            }
        }
        if (line.uptimeSeconds() != null) {
            // the reports of one OOM storm are milliseconds apart; an open report last fed seconds ago was
            // cut off (printk dropped lines, a kernel crash), not interleaved with this one
            for (OomReportBuilder b : new ArrayList<>(open)) {
                if (b.lastUptime != null && line.uptimeSeconds() - b.lastUptime > STALE_SECONDS) {
                    b.problems.add("the report stops without a kill line; the next report began "
                            + String.format(java.util.Locale.ROOT, "%.1f", line.uptimeSeconds() - b.lastUptime)
                            + " s later");
                    close(b, false);
                }
            }
        }
        OomReportBuilder b = new OomReportBuilder(line, this::linesRead);
        b.parseTrigger(s);
        open.add(b);
    }

    private void route(KernelLogLine line, String s) {
        if (line.caller() != null) {
            for (OomReportBuilder b : open) {
                if (line.caller().equals(b.caller)) {
                    give(b, line, s);
                    if (b.victim != null && open.contains(b)) {
                        close(b, true);
                    }
                    return;
                }
            }
        }
        Matcher m;
        if (s.startsWith("CPU: ") && (m = CPU_LINE.matcher(s)).find()) {
            for (OomReportBuilder b : open) {
                if (b.cpu == null && b.comm != null && b.comm.equals(m.group(3))) {
                    give(b, line, s);
                    return;
                }
            }
            return; // a CPU line of some other dump
        }
        if (s.contains(" cpuset=") && (m = CPUSET_LINE.matcher(s)).find()) {
            for (OomReportBuilder b : open) {
                if (b.cpuset == null && b.comm != null && b.comm.equals(m.group(1))) {
                    give(b, line, s);
                    return;
                }
            }
        }
        if (s.contains("Kill") && (m = KILL.matcher(s)).find()) {
            int pid = Integer.parseInt(m.group(3));
            OomReportBuilder owner = null;
            for (OomReportBuilder b : open) {
                if (b.victimPid == pid || b.selectedPid == pid || b.hasTask(pid)) {
                    owner = b;
                    break;
                }
            }
            if (owner == null) {
                for (OomReportBuilder b : open) {
                    if (b.victim == null) {
                        owner = b;
                        break;
                    }
                }
            }
            if (owner != null) {
                give(owner, line, s);
                if (owner.victim != null) {
                    close(owner, true);
                }
            } else {
                tail(line, s);
            }
            return;
        }
        if (s.startsWith("oom_reaper:") || s.startsWith("Tasks in ") && s.endsWith("memory.oom.group set")) {
            tail(line, s);
            return;
        }
        if (s.startsWith("Memory cgroup stats for ") && open.size() > 1) {
            // prefer the report of that cgroup, then one that has no stats yet
            OomReportBuilder pick = null;
            for (OomReportBuilder b : open) {
                if (b.victim == null && b.oomMemcg != null && s.startsWith("Memory cgroup stats for " + b.oomMemcg)) {
                    pick = b;
                    break;
                }
            }
            for (OomReportBuilder b : open) {
                if (pick == null && b.victim == null && b.stats.isEmpty()) {
                    pick = b;
                }
            }
            if (pick != null) {
                noteInterleaving();
                give(pick, line, s);
                return;
            }
        }
        for (OomReportBuilder b : open) {
            if (b.wants(s)) {
                if (open.size() > 1) {
                    noteInterleaving();
                }
                give(b, line, s);
                return;
            }
        }
    }

    /** Two reports are open and a line went to one by its position alone: say so on both. */
    private void noteInterleaving() {
        for (OomReportBuilder b : open) {
            if (!b.interleaved) {
                b.interleaved = true;
                b.problems.add("lines of another OOM report were interleaved with this one and the log has no"
                        + " caller tags ([T1234], CONFIG_PRINTK_CALLER): its task table and memory.stat may mix both");
            }
        }
    }

    /** Lines after a kill: the reaper, oom.group kills, or a kill whose report start we never saw. */
    private void tail(KernelLogLine line, String s) {
        Matcher m;
        if ((m = REAPED.matcher(s)).find()) {
            int pid = Integer.parseInt(m.group(1));
            for (OomReportBuilder b : recent) {
                if (b.victim != null && b.victim.pid() == pid && b.reaped == null) {
                    b.reaped = new Reaped(pid, m.group(2), Long.parseLong(m.group(3)), Long.parseLong(m.group(4)),
                            Long.parseLong(m.group(5)));
                    b.lastLine = line.line();
                    return;
                }
            }
            return;
        }
        if (GROUP.matcher(s).find()) {
            OomReportBuilder last = recent.peekLast();
            if (last != null) {
                last.groupKill = true;
            }
            return;
        }
        if ((m = KILL.matcher(s)).find()) {
            OomReportBuilder last = recent.peekLast();
            if (last != null && last.groupKill && m.group(2) != null) {
                last.groupKills.add(victim(m, line));
                last.lastLine = line.line();
                return;
            }
            if (m.group(2) == null) {
                return; // "Kill process … score" alone: the selection line of a report we did not see begin
            }
            // a kill line whose report began before the log did: keep what it says, flagged incomplete
            OomReportBuilder b = new OomReportBuilder(null, this::linesRead);
            b.firstLine = line.line();
            give(b, line, s);
            b.problems.add("the start of the report is missing (the log begins inside it)");
            close(b, false);
        }
    }

    /**
     * Ends a report. It is handed to the sink a little later ({@link #TAIL_LINES} lines, or at the end of the
     * input), because the oom_reaper line and memory.oom.group kills come after the kill line.
     */
    /** Hands a line to a report; one that says it ended is closed. */
    private void give(OomReportBuilder b, KernelLogLine line, String s) {
        b.take(line, s);
        if (b.ended && open.contains(b)) {
            close(b, true);
        }
    }

    private void close(OomReportBuilder b, boolean complete) {
        open.remove(b);
        b.complete = complete && b.startLine != null; // a report without its start is never complete
        b.closedAt = lines;
        recent.addLast(b);
        while (recent.size() > 8) {
            emit(recent.removeFirst());
        }
    }

    private void emitSettled() {
        while (!recent.isEmpty() && lines - recent.peekFirst().closedAt > TAIL_LINES) {
            emit(recent.removeFirst());
        }
    }

    private void emit(OomReportBuilder b) {
        sink.accept(b.build(b.complete));
    }

    private void abandonQuiet() {
        boolean any = false;
        for (int i = 0; i < open.size() && !any; i++) {
            any = lines - open.get(i).lastSeen > ABANDON_AFTER_LINES;
        }
        if (!any) {
            return; // the usual case, checked without copying the list
        }
        for (Iterator<OomReportBuilder> it = new ArrayList<>(open).iterator(); it.hasNext(); ) {
            OomReportBuilder b = it.next();
            if (lines - b.lastSeen > ABANDON_AFTER_LINES) {
                b.problems.add("no line of this report for " + ABANDON_AFTER_LINES + " lines: given up as cut off");
                close(b, false);
            }
        }
    }
}
