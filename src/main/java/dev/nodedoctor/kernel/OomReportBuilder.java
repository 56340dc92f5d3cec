package dev.nodedoctor.kernel;

import dev.nodedoctor.kernel.OomReport.Kind;
import dev.nodedoctor.kernel.OomReport.MemInfo;
import dev.nodedoctor.kernel.OomReport.MemcgStats;
import dev.nodedoctor.kernel.OomReport.MemoryCounter;
import dev.nodedoctor.kernel.OomReport.OomTask;
import dev.nodedoctor.kernel.OomReport.Reaped;
import dev.nodedoctor.kernel.OomReport.Trigger;
import dev.nodedoctor.kernel.OomReport.Victim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;

import static dev.nodedoctor.kernel.OomLines.BLANKS;
import static dev.nodedoctor.kernel.OomLines.COMMA;
import static dev.nodedoctor.kernel.OomLines.COUNTER;
import static dev.nodedoctor.kernel.OomLines.CPUSET_LINE;
import static dev.nodedoctor.kernel.OomLines.CPU_LINE;
import static dev.nodedoctor.kernel.OomLines.KILL;
import static dev.nodedoctor.kernel.OomLines.PAGES;
import static dev.nodedoctor.kernel.OomLines.SCORE;
import static dev.nodedoctor.kernel.OomLines.STATS_FOR;
import static dev.nodedoctor.kernel.OomLines.SWAP;
import static dev.nodedoctor.kernel.OomLines.TASK_IN;
import static dev.nodedoctor.kernel.OomLines.digitsOnly;
import static dev.nodedoctor.kernel.OomLines.intOrDefault;
import static dev.nodedoctor.kernel.OomLines.intOrNull;
import static dev.nodedoctor.kernel.OomLines.isStatLine;
import static dev.nodedoctor.kernel.OomLines.isTaskRow;
import static dev.nodedoctor.kernel.OomLines.release;
import static dev.nodedoctor.kernel.OomLines.victim;

/**
 * One OOM-killer report being assembled from the lines {@link OomReportParser} routes to it: the trigger
 * (header), the memory counters and meminfo, the memcg stats blocks, the task table and the kill. It keeps
 * which section it is in, so that a line the parser could not route by its content can be offered to the
 * report whose current section takes it ({@link #wants}).
 */
final class OomReportBuilder {
    enum Section { HEADER, MEMINFO, STATS, TABLE }

    /** The parser's count of lines read: a report that hears nothing for long is given up as cut off. */
    private final LongSupplier linesRead;
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
    /** The report's last line came (nothing could be killed): the parser closes it after this line. */
    boolean ended;
    boolean complete;
    long closedAt;
    boolean interleaved;
    Double lastUptime;

    OomReportBuilder(KernelLogLine start, LongSupplier linesRead) {
        this.linesRead = linesRead;
        this.startLine = start;
        this.caller = start == null ? null : start.caller();
        if (start != null) {
            firstLine = start.line();
            lastLine = start.line();
            lastUptime = start.uptimeSeconds();
        }
        lastSeen = linesRead.getAsLong();
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
        lastSeen = linesRead.getAsLong();
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
            ended = true; // the parser closes it
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
