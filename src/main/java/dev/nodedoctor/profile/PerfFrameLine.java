package dev.nodedoctor.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * stackcollapse-perf.pl's rules for one frame line ("  7f1e214c24d9 SpinPause (/…/libjvm.so)"): the function
 * name tidied (arguments and quotes dropped, ';' → ':', Java 'L' prefixes removed), an unknown symbol named after
 * its module, inlined frames ("a->b") split and marked _[i], and kernel / JIT frames marked _[k] / _[j] when
 * asked. The common shape is read without the regex; the regex decides the rest.
 */
final class PerfFrameLine {
    /** {@link #fold}'s answer for a line the frame regex does not match (compared by identity). */
    static final String UNRECOGNISED = new String("unrecognised");

    // The script's regular expressions, with UNIX_LINES so that only '\n' ends a line, as in Perl.
    private static final Pattern FRAME = Pattern.compile("^\\s*(\\w+)\\s*(.+) \\((.*)\\)", Pattern.UNIX_LINES);
    private static final Pattern OFFSET = Pattern.compile("\\+0x[\\da-f]+$", Pattern.UNIX_LINES);
    private static final Pattern JIT_MOD = Pattern.compile("/tmp/perf-\\d+\\.map", Pattern.UNIX_LINES);

    private final PerfCollapse.Options options;

    PerfFrameLine(PerfCollapse.Options options) {
        this.options = options;
    }

    /**
     * The folded name(s) of one frame line — inlined frames joined with ';' — or null when the script skips the
     * line, or {@link #UNRECOGNISED} (the caller warns). Depends only on the line, the options and whether the
     * process name starts with "java" (Java's 'L' prefixes), which is what the frame caches are keyed by.
     */
    String fold(String line, boolean javaProcess) {
        String pc;
        String rawfunc;
        String mod;
        int[] fast = fastFrame(line);
        if (fast != null) {
            pc = line.substring(fast[0], fast[1]);
            rawfunc = line.substring(fast[2], fast[3]);
            mod = line.substring(fast[3] + 2, fast[4]);
        } else {
            Matcher m = FRAME.matcher(line);
            if (!m.find()) {
                return UNRECOGNISED;
            }
            pc = m.group(1);
            rawfunc = m.group(2);
            mod = m.group(3);
        }
        rawfunc = stripOffset(rawfunc);
        if (rawfunc.startsWith("(")) {
            return null;
        }
        String[] parts = splitArrows(rawfunc);
        int n = parts.length;
        while (n > 0 && parts[n - 1].isEmpty()) { // Perl's split drops trailing empty fields
            n--;
        }
        StringBuilder group = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String func = parts[i];
            if (func.equals("[unknown]")) {
                if (!mod.equals("[unknown]")) {
                    func = mod.substring(mod.lastIndexOf('/') + 1);
                } else {
                    func = "unknown";
                }
                func = options.addrs() ? "[" + func + " <" + pc + ">]" : "[" + func + "]";
            }
            func = tidy(func, javaProcess);
            if (i > 0) {
                if (!func.contains("_[i]")) {
                    func += "_[i]";
                }
            } else if (options.kernel() && (mod.startsWith("[") || mod.endsWith("vmlinux")) && !mod.contains("unknown")) {
                func += "_[k]";
            } else if (options.jit() && JIT_MOD.matcher(mod).find()) {
                if (!func.contains("_[j]")) {
                    func += "_[j]";
                }
            }
            if (i > 0) {
                group.append(';');
            }
            group.append(func);
        }
        return n > 0 ? group.toString() : null;
    }

    private static String tidy(String func, boolean javaProcess) {
        String f = func.indexOf(';') >= 0 ? func.replace(';', ':') : func;
        if (f.indexOf('(') >= 0 && !looksLikeGoMethod(f)) {
            f = cutArguments(f);
        }
        if (f.indexOf('"') >= 0 || f.indexOf('\'') >= 0) {
            f = f.replace("\"", "").replace("'", "");
        }
        if (javaProcess && f.startsWith("L") && f.indexOf('/') >= 0) {
            f = f.substring(1);
        }
        return f;
    }

    /** {@code split /->/}: the parts between "->" (trailing empty parts are dropped by the caller). */
    private static String[] splitArrows(String s) {
        int i = s.indexOf("->");
        if (i < 0) {
            return new String[] {s};
        }
        List<String> parts = new ArrayList<>(4);
        int start = 0;
        while (i >= 0) {
            parts.add(s.substring(start, i));
            start = i + 2;
            i = s.indexOf("->", start);
        }
        parts.add(s.substring(start));
        return parts.toArray(new String[0]);
    }

    /** {@code m/\.\(.*\)\./}: a ".(" with a ")." starting at least two chars later (Go methods). */
    private static boolean looksLikeGoMethod(String f) {
        int open = f.indexOf(".(");
        return open >= 0 && f.lastIndexOf(").") >= open + 2;
    }

    /** The script's argument stripping: cut at the first '(' that does not open "(anonymous namespace)". */
    private static String cutArguments(String f) {
        int i = f.indexOf('(');
        while (i >= 0) {
            if (!f.startsWith("anonymous namespace)", i + 1)) {
                return f.substring(0, i);
            }
            i = f.indexOf('(', i + 1);
        }
        return f;
    }

    /** {@code s/\+0x[\da-f]+$//} without a regex on the common path. */
    private static String stripOffset(String f) {
        int plus = f.lastIndexOf("+0x");
        if (plus < 0 || plus + 3 == f.length()) {
            return f;
        }
        for (int i = plus + 3; i < f.length(); i++) {
            char c = f.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return OFFSET.matcher(f).replaceFirst("");
            }
        }
        return f.substring(0, plus);
    }

    /**
     * The frame regex {@code ^\s*(\w+)\s*(.+) \((.*)\)} for the usual shape — blanks, a word, blanks, then a
     * rest holding " (" with a ')' after it — where the greedy regex takes the longest word, the last such
     * " (" and the last ')'. Returns {pcStart, pcEnd, funcStart, funcEnd (the " (" index), modEnd} or null
     * when the line is not of that shape (the regex then decides).
     */
    private static int[] fastFrame(String line) {
        int len = line.length();
        int i = 0;
        while (i < len && PerfRecordLine.isSpace(line.charAt(i))) {
            i++;
        }
        int pcStart = i;
        while (i < len && isWord(line.charAt(i))) {
            i++;
        }
        int pcEnd = i;
        if (pcEnd == pcStart) {
            return null;
        }
        while (i < len && PerfRecordLine.isSpace(line.charAt(i))) {
            i++;
        }
        if (i == pcEnd) {
            return null; // no blank after the word: leave the backtracking cases to the regex
        }
        int funcStart = i;
        int close = line.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        int open = line.lastIndexOf(" (", close - 2);
        if (open < funcStart + 1) {
            return null;
        }
        return new int[] {pcStart, pcEnd, funcStart, open, close};
    }

    private static boolean isWord(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
}
