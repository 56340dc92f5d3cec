package dev.nodedoctor.kernel;

import dev.nodedoctor.kernel.OomReport.Kind;
import dev.nodedoctor.kernel.OomReport.MemInfo;
import dev.nodedoctor.kernel.OomReport.MemcgStats;
import dev.nodedoctor.kernel.OomReport.MemoryCounter;
import dev.nodedoctor.kernel.OomReport.OomTask;
import dev.nodedoctor.kernel.OomReport.Reaped;
import dev.nodedoctor.kernel.OomReport.Trigger;
import dev.nodedoctor.kernel.OomReport.Victim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static final Pattern CPU_LINE = Pattern.compile(
            "^CPU: (\\d+) (?:UID: \\d+ )?PID: (\\d+) Comm: (.*?) (?:Not tainted|Tainted:|Kdump:)(.*)$");
    private static final Pattern CPUSET_LINE = Pattern.compile("^(.*) cpuset=(\\S*) mems_allowed=(\\S*)");
    private static final Pattern TASK_IN = Pattern.compile("^Task in (.*) killed as a result of limit of (.*)$");
    private static final Pattern COUNTER = Pattern.compile(
            "^(memory|memory\\+swap|swap|kmem|tcpmem): usage (\\d+)kB, limit (\\d+)kB, failcnt (\\d+)");
    private static final Pattern STATS_FOR = Pattern.compile("^Memory cgroup stats for (.*?):(.*)$");
    private static final Pattern KILL = Pattern.compile(
            "^(Memory cgroup out of memory: |Out of memory(?: \\(oom_kill_allocating_task\\))?: )?"
                    + "Kill(ed)? process (\\d+) \\((.*)\\)(.*)$");
    private static final Pattern KV = Pattern.compile("([A-Za-z_-]+):(-?\\d+)(kB)?");
    private static final Pattern REAPED = Pattern.compile(
            "^oom_reaper: reaped process (\\d+) \\((.*)\\), now anon-rss:(\\d+)kB, file-rss:(\\d+)kB, shmem-rss:(\\d+)kB");
    private static final Pattern GROUP = Pattern.compile("^Tasks in (.*) are going to be killed due to memory\\.oom\\.group set");
    private static final Pattern BLANKS = Pattern.compile("\\s+");
    private static final Pattern COMMA = Pattern.compile(", ");
    private static final Pattern SCORE = Pattern.compile("score (\\d+)");
    private static final Pattern OLD_UID = Pattern.compile("^, UID (\\d+),");
    private static final Pattern SWAP = Pattern.compile("^(Free|Total) swap\\s+=\\s+(\\d+)kB");
    private static final Pattern PAGES = Pattern.compile("^(\\d+) pages (RAM|reserved)$");

    private final java.util.function.Consumer<OomReport> sink;
    private final List<Builder> open = new ArrayList<>();
    /** Recently finished reports, for the oom_reaper and oom.group lines that come after the kill. */
    private final Deque<Builder> recent = new ArrayDeque<>();
    private long lines;

    public OomReportParser(java.util.function.Consumer<OomReport> sink) {
        this.sink = sink;
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
                Builder b = new Builder(null);
                b.firstLine = line.line();
                b.problems.add("the start of the report is missing (the log begins inside it)");
                open.add(b);
                b.take(line, s);
            }
            return;
        }
        route(line, s);
        abandonQuiet();
    }

    /** Ends the input: open reports are emitted as incomplete. */
    public void finish() {
        for (Builder b : new ArrayList<>(open)) {
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
            for (Builder b : new ArrayList<>(open)) {
                if (line.caller().equals(b.caller)) {
                    b.problems.add("a new report of the same task began before this one reached its kill line");
                    close(b, false);
                }
            }
        }
        if (line.uptimeSeconds() != null) {
            // the reports of one OOM storm are milliseconds apart; an open report last fed seconds ago was
            // cut off (printk dropped lines, a kernel crash), not interleaved with this one
            for (Builder b : new ArrayList<>(open)) {
                if (b.lastUptime != null && line.uptimeSeconds() - b.lastUptime > STALE_SECONDS) {
                    b.problems.add("the report stops without a kill line; the next report began "
                            + String.format(java.util.Locale.ROOT, "%.1f", line.uptimeSeconds() - b.lastUptime)
                            + " s later");
                    close(b, false);
                }
            }
        }
        Builder b = new Builder(line);
        b.parseTrigger(s);
        open.add(b);
    }

    private void route(KernelLogLine line, String s) {
        if (line.caller() != null) {
            for (Builder b : open) {
                if (line.caller().equals(b.caller)) {
                    b.take(line, s);
                    if (b.victim != null && open.contains(b)) {
                        close(b, true);
                    }
                    return;
                }
            }
        }
        Matcher m;
        if (s.startsWith("CPU: ") && (m = CPU_LINE.matcher(s)).find()) {
            for (Builder b : open) {
                if (b.cpu == null && b.comm != null && b.comm.equals(m.group(3))) {
                    b.take(line, s);
                    return;
                }
            }
            return; // a CPU line of some other dump
        }
        if (s.contains(" cpuset=") && (m = CPUSET_LINE.matcher(s)).find()) {
            for (Builder b : open) {
                if (b.cpuset == null && b.comm != null && b.comm.equals(m.group(1))) {
                    b.take(line, s);
                    return;
                }
            }
        }
        if (s.contains("Kill") && (m = KILL.matcher(s)).find()) {
            int pid = Integer.parseInt(m.group(3));
            Builder owner = null;
            for (Builder b : open) {
                if (b.victimPid == pid || b.selectedPid == pid || b.hasTask(pid)) {
                    owner = b;
                    break;
                }
            }
            if (owner == null) {
                for (Builder b : open) {
                    if (b.victim == null) {
                        owner = b;
                        break;
                    }
                }
            }
            if (owner != null) {
                owner.take(line, s);
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
            Builder pick = null;
            for (Builder b : open) {
                if (b.victim == null && b.oomMemcg != null && s.startsWith("Memory cgroup stats for " + b.oomMemcg)) {
                    pick = b;
                    break;
                }
            }
            for (Builder b : open) {
                if (pick == null && b.victim == null && b.stats.isEmpty()) {
                    pick = b;
                }
            }
            if (pick != null) {
                noteInterleaving();
                pick.take(line, s);
                return;
            }
        }
        for (Builder b : open) {
            if (b.wants(s)) {
                if (open.size() > 1) {
                    noteInterleaving();
                }
                b.take(line, s);
                return;
            }
        }
    }

    /** Two reports are open and a line went to one by its position alone: say so on both. */
    private void noteInterleaving() {
        for (Builder b : open) {
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
            for (Builder b : recent) {
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
            Builder last = recent.peekLast();
            if (last != null) {
                last.groupKill = true;
            }
            return;
        }
        if ((m = KILL.matcher(s)).find()) {
            Builder last = recent.peekLast();
            if (last != null && last.groupKill && m.group(2) != null) {
                last.groupKills.add(victim(m, line));
                last.lastLine = line.line();
                return;
            }
            if (m.group(2) == null) {
                return; // "Kill process … score" alone: the selection line of a report we did not see begin
            }
            // a kill line whose report began before the log did: keep what it says, flagged incomplete
            Builder b = new Builder(null);
            b.firstLine = line.line();
            b.take(line, s);
            b.problems.add("the start of the report is missing (the log begins inside it)");
            close(b, false);
        }
    }

    /**
     * Ends a report. It is handed to the sink a little later ({@link #TAIL_LINES} lines, or at the end of the
     * input), because the oom_reaper line and memory.oom.group kills come after the kill line.
     */
    private void close(Builder b, boolean complete) {
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

    private void emit(Builder b) {
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
        for (Iterator<Builder> it = new ArrayList<>(open).iterator(); it.hasNext(); ) {
            Builder b = it.next();
            if (lines - b.lastSeen > ABANDON_AFTER_LINES) {
                b.problems.add("no line of this report for " + ABANDON_AFTER_LINES + " lines: given up as cut off");
                close(b, false);
            }
        }
    }

    static Victim victim(Matcher m, KernelLogLine line) {
        int pid = Integer.parseInt(m.group(3));
        Map<String, Long> kv = new LinkedHashMap<>();
        Matcher f = KV.matcher(m.group(5));
        while (f.find()) {
            kv.put(f.group(1), Long.parseLong(f.group(2)));
        }
        Long uid = kv.get("UID");
        if (uid == null) {
            Matcher u = OLD_UID.matcher(m.group(5)); // RHEL 7: "Killed process P (x), UID 0, total-vm:…"
            uid = u.find() ? Long.valueOf(u.group(1)) : null;
        }
        Long score = kv.get("score");
        Long adj = kv.get("oom_score_adj");
        return new Victim(pid, m.group(4), kv.get("total-vm"), kv.getOrDefault("anon-rss", 0L),
                kv.getOrDefault("file-rss", 0L), kv.get("shmem-rss"), uid, kv.get("pgtables"),
                adj == null ? null : adj.intValue(), score == null ? null : score.intValue(),
                m.group(1) != null && m.group(1).startsWith("Memory cgroup"), line);
    }

    // ---- one report being assembled -------------------------------------------------------------------------

    private enum Section { HEADER, MEMINFO, STATS, TABLE }

    private final class Builder {
        final KernelLogLine startLine;
        final String caller;
        final List<String> problems = new ArrayList<>();
        long firstLine;
        long lastLine;
        long lastSeen;
        Section section = Section.HEADER;
        String comm;
        Integer triggerPid;
        Integer cpu;
        String gfpMask;
        String gfpFlags;
        Integer order;
        Integer oomScoreAdj;
        String nodemask;
        String kernelRelease;
        String constraint;
        String cpuset;
        String memsAllowed;
        String oomMemcg;
        String taskMemcg;
        boolean sawMemcg;
        boolean sawGlobal;
        final Map<String, MemoryCounter> counters = new LinkedHashMap<>();
        final List<MemcgStats> stats = new ArrayList<>();
        Map<String, Long> currentStats;
        Map<String, Long> memInfoPages;
        Long freeSwapKb;
        Long totalSwapKb;
        Long ramPages;
        Long reservedPages;
        List<String> columns;
        final List<OomTask> tasks = new ArrayList<>();
        final java.util.Set<Integer> taskPids = new java.util.HashSet<>();
        int victimPid = -1;
        int selectedPid = -1;
        Integer selectedScore;
        Victim victim;
        boolean groupKill;
        final List<Victim> groupKills = new ArrayList<>();
        Reaped reaped;
        boolean noKillable;
        boolean complete;
        long closedAt;
        boolean interleaved;
        Double lastUptime;

        Builder(KernelLogLine start) {
            this.startLine = start;
            this.caller = start == null ? null : start.caller();
            if (start != null) {
                firstLine = start.line();
                lastLine = start.line();
                lastUptime = start.uptimeSeconds();
            }
            lastSeen = lines;
        }

        boolean hasTask(int pid) {
            return taskPids.contains(pid);
        }

        void parseTrigger(String s) {
            int at = s.indexOf(" invoked oom-killer:");
            comm = s.substring(0, at);
            for (String part : COMMA.split(s.substring(at + " invoked oom-killer:".length()))) {
                String p = part.strip();
                int eq = p.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String k = p.substring(0, eq);
                String v = p.substring(eq + 1);
                switch (k) {
                    case "gfp_mask" -> {
                        int paren = v.indexOf('(');
                        gfpMask = paren < 0 ? v : v.substring(0, paren);
                        gfpFlags = paren < 0 ? null : v.substring(paren + 1, v.endsWith(")") ? v.length() - 1 : v.length());
                    }
                    case "order" -> order = intOrNull(v);
                    case "oom_score_adj" -> oomScoreAdj = intOrNull(v);
                    case "nodemask" -> nodemask = v;
                    default -> { }
                }
            }
        }

        /** Whether an unrouted line belongs here: it continues the current section or fills a gap. */
        boolean wants(String s) {
            if (victim != null || noKillable) {
                return false;
            }
            switch (section) {
                case STATS -> {
                    if (isStatLine(s)) {
                        return true;
                    }
                }
                case TABLE -> {
                    if (isTaskRow(s)) {
                        return true;
                    }
                }
                case MEMINFO -> {
                    if (memInfoLine(s)) {
                        return true;
                    }
                }
                default -> { }
            }
            if (s.startsWith("Task in ")) {
                return taskMemcg == null;
            }
            if (s.startsWith("oom-kill:")) {
                return constraint == null;
            }
            if (s.startsWith("Memory cgroup stats for ")) {
                return true;
            }
            if (s.contains(": usage ") && COUNTER.matcher(s).find()) {
                String name = s.substring(0, s.indexOf(':'));
                return !counters.containsKey(name);
            }
            if (s.equalsIgnoreCase("Mem-Info:")) {
                return memInfoPages == null;
            }
            if (s.startsWith("[") && s.contains("pid") && s.contains("oom_score_adj")) {
                return columns == null;
            }
            if (s.startsWith("Out of memory and no killable processes")) {
                return true;
            }
            if (memInfoPages != null && (s.endsWith("kB") && SWAP.matcher(s).find()
                    || s.contains(" pages ") && PAGES.matcher(s).find())) {
                return true;
            }
            return false;
        }

        void take(KernelLogLine line, String s) {
            lastLine = line.line();
            if (line.uptimeSeconds() != null) {
                lastUptime = line.uptimeSeconds();
            }
            lastSeen = lines;
            if (section == Section.STATS && !isStatLine(s)) {
                section = Section.HEADER;
            }
            if (section == Section.TABLE && !isTaskRow(s)) {
                section = Section.HEADER;
            }
            Matcher m;
            if (section == Section.STATS) {
                int sp = s.indexOf(' ');
                currentStats.put(s.substring(0, sp), Long.parseLong(s.substring(sp + 1).strip()));
                return;
            }
            if (section == Section.TABLE) {
                taskRow(s);
                return;
            }
            if (s.startsWith("CPU: ") && (m = CPU_LINE.matcher(s)).find()) {
                cpu = Integer.parseInt(m.group(1));
                triggerPid = Integer.parseInt(m.group(2));
                kernelRelease = release(m.group(4));
                return;
            }
            if (s.contains(" cpuset=") && (m = CPUSET_LINE.matcher(s)).find() && !s.startsWith("oom-kill:")) {
                cpuset = m.group(2);
                memsAllowed = m.group(3);
                return;
            }
            if (s.startsWith("Task in ") && (m = TASK_IN.matcher(s)).find()) {
                taskMemcg = m.group(1);
                oomMemcg = m.group(2);
                sawMemcg = true;
                return;
            }
            if (s.contains(": usage ") && (m = COUNTER.matcher(s)).find()) {
                counters.put(m.group(1), new MemoryCounter(m.group(1), Long.parseLong(m.group(2)),
                        Long.parseLong(m.group(3)), Long.parseLong(m.group(4))));
                sawMemcg = true;
                return;
            }
            if (s.startsWith("Memory cgroup stats for ") && (m = STATS_FOR.matcher(s)).find()) {
                sawMemcg = true;
                Map<String, Long> values = new LinkedHashMap<>();
                stats.add(new MemcgStats(m.group(1), values));
                String rest = m.group(2).strip();
                if (rest.isEmpty()) {
                    currentStats = values; // multi-line memory.stat follows (bytes)
                    section = Section.STATS;
                } else {
                    oneLineStats(rest, values);
                }
                return;
            }
            if (s.equalsIgnoreCase("Mem-Info:")) {
                memInfoPages = new LinkedHashMap<>();
                section = Section.MEMINFO;
                return;
            }
            if (section == Section.MEMINFO && memInfoLine(s)) {
                for (String tok : BLANKS.split(s)) {
                    int c = tok.indexOf(':');
                    if (c > 0 && c < tok.length() - 1 && digitsOnly(tok, c + 1)) {
                        memInfoPages.put(tok.substring(0, c), Long.parseLong(tok.substring(c + 1)));
                    }
                }
                return;
            }
            if (s.endsWith("kB") && (m = SWAP.matcher(s)).find()) {
                if (m.group(1).equals("Free")) {
                    freeSwapKb = Long.parseLong(m.group(2));
                } else {
                    totalSwapKb = Long.parseLong(m.group(2));
                }
                return;
            }
            if (s.contains(" pages ") && (m = PAGES.matcher(s)).find()) {
                if (m.group(2).equals("RAM")) {
                    ramPages = Long.parseLong(m.group(1));
                } else {
                    reservedPages = Long.parseLong(m.group(1));
                }
                return;
            }
            if (s.startsWith("[") && s.contains("pid") && s.contains("oom_score_adj") && columns == null) {
                header(s);
                return;
            }
            if (s.startsWith("oom-kill:")) {
                oomKillLine(s.substring("oom-kill:".length()));
                return;
            }
            if (s.startsWith("Out of memory and no killable processes")) {
                noKillable = true;
                problems.add("nothing could be killed: " + s);
                close(this, true);
                return;
            }
            if (s.contains("Kill") && (m = KILL.matcher(s)).find()) {
                boolean memcgPrefix = m.group(1) != null && m.group(1).startsWith("Memory cgroup");
                boolean globalPrefix = m.group(1) != null && m.group(1).startsWith("Out of memory");
                sawMemcg |= memcgPrefix;
                sawGlobal |= globalPrefix;
                if (m.group(2) == null) {
                    // "Kill process P (x) score S or sacrifice child": the selection; the kill follows
                    selectedPid = Integer.parseInt(m.group(3));
                    Matcher sc = SCORE.matcher(m.group(5));
                    selectedScore = sc.find() ? Integer.valueOf(sc.group(1)) : null;
                    return;
                }
                Victim v = victim(m, line);
                if (v.score() == null && selectedScore != null && (selectedPid == v.pid() || selectedPid < 0)) {
                    v = new Victim(v.pid(), v.comm(), v.totalVmKb(), v.anonRssKb(), v.fileRssKb(), v.shmemRssKb(),
                            v.uid(), v.pgtablesKb(), v.oomScoreAdj(), selectedScore, v.memcg() || sawMemcg && !sawGlobal, line);
                }
                victim = v;
                victimPid = v.pid();
            }
        }

        private boolean memInfoLine(String s) {
            if (s.startsWith("Node ") || s.startsWith("lowmem_reserve") || s.startsWith("CPU ")) {
                return false;
            }
            int c = s.indexOf(':');
            return c > 0 && c + 1 < s.length() && Character.isDigit(s.charAt(c + 1)) && !s.contains("kB");
        }

        private void oneLineStats(String rest, Map<String, Long> values) {
            // 3.x / 4.x: "cache:0KB rss:980KB rss_huge:0KB …"
            for (String tok : BLANKS.split(rest)) {
                int c = tok.indexOf(':');
                if (c <= 0) {
                    continue;
                }
                String v = tok.substring(c + 1);
                long mult = 1;
                if (v.endsWith("KB") || v.endsWith("kB")) {
                    v = v.substring(0, v.length() - 2);
                    mult = 1024;
                }
                if (digitsOnly(v, 0)) {
                    values.put(tok.substring(0, c), Long.parseLong(v) * mult);
                }
            }
        }

        private void header(String s) {
            String cols = s.substring(s.indexOf(']') + 1).strip();
            columns = new ArrayList<>(List.of(BLANKS.split(cols)));
            section = Section.TABLE;
        }

        private void taskRow(String s) {
            int close = s.indexOf(']');
            int pid;
            try {
                pid = Integer.parseInt(s.substring(1, close).strip());
            } catch (NumberFormatException e) {
                problems.add("unreadable task row: " + s);
                return;
            }
            // the name is the last column and may contain spaces ("CPU 0/KVM"): split the numbers only
            String rest = s.substring(close + 1);
            int numeric = columns.size() - 1;
            long[] v = new long[numeric];
            int p = 0;
            for (int i = 0; i < numeric; i++) {
                while (p < rest.length() && rest.charAt(p) == ' ') {
                    p++;
                }
                int q = p;
                while (q < rest.length() && rest.charAt(q) != ' ') {
                    q++;
                }
                try {
                    v[i] = Long.parseLong(rest.substring(p, q));
                } catch (NumberFormatException e) {
                    problems.add("unreadable task row: " + s);
                    return;
                }
                p = q;
            }
            String name = rest.substring(Math.min(p + 1, rest.length())).strip();
            Long uid = col(v, "uid");
            Long rss = col(v, "rss");
            Long adj = col(v, "oom_score_adj");
            tasks.add(new OomTask(pid, uid, col(v, "tgid"), col(v, "total_vm"), rss == null ? 0 : rss,
                    col(v, "rss_anon"), col(v, "rss_file"), col(v, "rss_shmem"), col(v, "pgtables_bytes"),
                    col(v, "nr_ptes"), col(v, "swapents"), adj == null ? 0 : adj.intValue(), name));
            taskPids.add(pid);
        }

        private Long col(long[] v, String name) {
            int i = columns.indexOf(name);
            return i < 0 || i >= v.length ? null : v[i];
        }

        private void oomKillLine(String rest) {
            for (String part : rest.split(",")) {
                int eq = part.indexOf('=');
                String k = eq < 0 ? part : part.substring(0, eq);
                String v = eq < 0 ? null : part.substring(eq + 1);
                switch (k) {
                    case "constraint" -> constraint = v;
                    case "cpuset" -> cpuset = v;
                    case "mems_allowed" -> memsAllowed = v;
                    case "oom_memcg" -> oomMemcg = v;
                    case "task_memcg" -> taskMemcg = v;
                    case "pid" -> victimPid = intOrDefault(v, victimPid);
                    case "global_oom" -> sawGlobal = true;
                    default -> { }
                }
            }
        }

        OomReport build(boolean complete) {
            if (!complete && victim == null && !problems.isEmpty() && startLine != null) {
                // keep what we have
            }
            Kind kind;
            if ("CONSTRAINT_MEMCG".equals(constraint) || constraint == null && sawMemcg && !sawGlobal) {
                kind = Kind.MEMCG;
            } else if (constraint != null || sawGlobal || memInfoPages != null) {
                kind = Kind.GLOBAL;
            } else {
                kind = Kind.UNKNOWN;
            }
            Trigger trigger = comm == null && triggerPid == null ? null
                    : new Trigger(comm, triggerPid, cpu, gfpMask, gfpFlags, order, oomScoreAdj, nodemask);
            MemInfo memInfo = memInfoPages == null ? null
                    : new MemInfo(Map.copyOf(memInfoPages), freeSwapKb, totalSwapKb, ramPages, reservedPages);
            List<MemcgStats> frozen = new ArrayList<>();
            for (MemcgStats st : stats) {
                frozen.add(new MemcgStats(st.cgroup(), java.util.Collections.unmodifiableMap(new LinkedHashMap<>(st.bytes()))));
            }
            Victim v = victim;
            if (v != null && !v.memcg() && kind == Kind.MEMCG) {
                v = new Victim(v.pid(), v.comm(), v.totalVmKb(), v.anonRssKb(), v.fileRssKb(), v.shmemRssKb(), v.uid(),
                        v.pgtablesKb(), v.oomScoreAdj(), v.score(), true, v.line());
            }
            return new OomReport(complete, problems, startLine, trigger, kernelRelease, kind, constraint, cpuset,
                    memsAllowed, oomMemcg, taskMemcg, counters, frozen, memInfo, tasks, v, groupKills, reaped,
                    firstLine, lastLine);
        }
    }

    // ---- small helpers --------------------------------------------------------------------------------------

    /** Lines found only inside an OOM report, that can start a report whose first lines are lost. */
    private static boolean isBody(String s) {
        return s.startsWith("Task in ") && s.contains(" killed as a result of limit of ")
                || s.startsWith("memory: usage ")
                || s.startsWith("oom-kill:constraint=")
                || s.startsWith("Memory cgroup stats for ")
                || s.startsWith("[") && s.contains("pid") && s.contains("oom_score_adj") && s.contains("total_vm");
    }

    private static boolean isStatLine(String s) {
        int sp = s.indexOf(' ');
        if (sp <= 0 || sp == s.length() - 1 || s.indexOf(' ', sp + 1) >= 0) {
            return false;
        }
        for (int i = 0; i < sp; i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '_') {
                return false;
            }
        }
        return digitsOnly(s, sp + 1);
    }

    private static boolean isTaskRow(String s) {
        if (!s.startsWith("[")) {
            return false;
        }
        int close = s.indexOf(']');
        return close > 1 && digitsOnly(s.substring(1, close).strip(), 0);
    }

    private static boolean digitsOnly(String s, int from) {
        if (s.length() <= from) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The kernel release is the word before "#build" at the end of the CPU line. */
    private static String release(String tail) {
        String[] words = BLANKS.split(tail.strip());
        for (int i = 1; i < words.length; i++) {
            if (words[i].startsWith("#")) {
                return words[i - 1];
            }
        }
        return null;
    }

    private static Integer intOrNull(String v) {
        try {
            return Integer.valueOf(v.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int intOrDefault(String v, int d) {
        Integer i = v == null ? null : intOrNull(v);
        return i == null ? d : i;
    }
}
