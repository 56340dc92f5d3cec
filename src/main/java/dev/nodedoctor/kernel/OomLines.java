package dev.nodedoctor.kernel;

import dev.nodedoctor.kernel.OomReport.Victim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The wording of an OOM-killer report's lines, as the kernels from 3.10 to 6.x print them: one pattern or test
 * per kind of line, shared by the parser (which routes lines to reports) and the builder (which reads them).
 */
final class OomLines {
    static final Pattern CPU_LINE = Pattern.compile(
            "^CPU: (\\d+) (?:UID: \\d+ )?PID: (\\d+) Comm: (.*?) (?:Not tainted|Tainted:|Kdump:)(.*)$");
    static final Pattern CPUSET_LINE = Pattern.compile("^(.*) cpuset=(\\S*) mems_allowed=(\\S*)");
    static final Pattern TASK_IN = Pattern.compile("^Task in (.*) killed as a result of limit of (.*)$");
    static final Pattern COUNTER = Pattern.compile(
            "^(memory|memory\\+swap|swap|kmem|tcpmem): usage (\\d+)kB, limit (\\d+)kB, failcnt (\\d+)");
    static final Pattern STATS_FOR = Pattern.compile("^Memory cgroup stats for (.*?):(.*)$");
    static final Pattern KILL = Pattern.compile(
            "^(Memory cgroup out of memory: |Out of memory(?: \\(oom_kill_allocating_task\\))?: )?"
                    + "Kill(ed)? process (\\d+) \\((.*)\\)(.*)$");
    static final Pattern KV = Pattern.compile("([A-Za-z_-]+):(-?\\d+)(kB)?");
    static final Pattern REAPED = Pattern.compile(
            "^oom_reaper: reaped process (\\d+) \\((.*)\\), now anon-rss:(\\d+)kB, file-rss:(\\d+)kB, shmem-rss:(\\d+)kB");
    static final Pattern GROUP = Pattern.compile("^Tasks in (.*) are going to be killed due to memory\\.oom\\.group set");
    static final Pattern BLANKS = Pattern.compile("\\s+");
    static final Pattern COMMA = Pattern.compile(", ");
    static final Pattern SCORE = Pattern.compile("score (\\d+)");
    static final Pattern OLD_UID = Pattern.compile("^, UID (\\d+),");
    static final Pattern SWAP = Pattern.compile("^(Free|Total) swap\\s+=\\s+(\\d+)kB");
    static final Pattern PAGES = Pattern.compile("^(\\d+) pages (RAM|reserved)$");

    private OomLines() {
    }

    /** The victim of a {@link #KILL} line (its name=value fields, and RHEL 7's ", UID n," form). */
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

    /** Lines found only inside an OOM report, that can start a report whose first lines are lost. */
    static boolean isBody(String s) {
        return s.startsWith("Task in ") && s.contains(" killed as a result of limit of ")
                || s.startsWith("memory: usage ")
                || s.startsWith("oom-kill:constraint=")
                || s.startsWith("Memory cgroup stats for ")
                || s.startsWith("[") && s.contains("pid") && s.contains("oom_score_adj") && s.contains("total_vm");
    }

    static boolean isStatLine(String s) {
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

    static boolean isTaskRow(String s) {
        if (!s.startsWith("[")) {
            return false;
        }
        int close = s.indexOf(']');
        return close > 1 && digitsOnly(s.substring(1, close).strip(), 0);
    }

    static boolean digitsOnly(String s, int from) {
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
    static String release(String tail) {
        String[] words = BLANKS.split(tail.strip());
        for (int i = 1; i < words.length; i++) {
            if (words[i].startsWith("#")) {
                return words[i - 1];
            }
        }
        return null;
    }

    static Integer intOrNull(String v) {
        try {
            return Integer.valueOf(v.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static int intOrDefault(String v, int d) {
        Integer i = v == null ? null : intOrNull(v);
        return i == null ? d : i;
    }
}
