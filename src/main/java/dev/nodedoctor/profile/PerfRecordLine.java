package dev.nodedoctor.profile;

import java.util.regex.Pattern;

/**
 * The fields of a perf script record line ("comm pid/tid [cpu] time: period event:"), as stackcollapse-perf.pl's
 * two regular expressions give them, found without a regex: a record starts every sample, and matching the two
 * expressions took about a tenth of collapse's time. {@link #RECORD} and {@link #EVENT} are the script's
 * expressions; a test checks that these methods agree with them on every line it makes.
 */
final class PerfRecordLine {
    /** {@code ^(\S.+?)\s+(\d+)/*(\d+)*\s+}: command, pid, tid. UNIX_LINES: only '\n' ends a line, as in Perl. */
    static final Pattern RECORD = Pattern.compile("^(\\S.+?)\\s+(\\d+)/*(\\d+)*\\s+", Pattern.UNIX_LINES);
    /** {@code :\s*(\d+)*\s+(\S+):\s*$}: period and event name. */
    static final Pattern EVENT = Pattern.compile(":\\s*(\\d+)*\\s+(\\S+):\\s*$", Pattern.UNIX_LINES);

    /** The command, pid and tid (null when absent) of a record line. */
    record Record(String comm, String pid, String tid) {
    }

    /** The period (null when absent) and event name of a record line. */
    record Event(String period, String event) {
    }

    private PerfRecordLine() {
    }

    /**
     * {@link #RECORD}'s groups, or null when it does not match. The lazy command ends at the first blank (after
     * its first two characters) that is followed by blanks, digits, optional slashes and digits, and a blank:
     * nothing in that tail can be taken back to make a shorter or longer match work, so the first such place
     * is the regex's answer.
     */
    static Record record(String s) {
        int n = s.length();
        if (n == 0 || isSpace(s.charAt(0))) {
            return null;
        }
        for (int p = 2; p < n; p++) {
            if (!isSpace(s.charAt(p)) || (p > 2 && isSpace(s.charAt(p - 1)))) {
                continue; // a blank after a blank: the same tail as the place before, which did not match
            }
            int q = skipSpaces(s, p);
            int r = skipDigits(s, q);
            if (r == q) {
                continue;
            }
            int u = r;
            while (u < n && s.charAt(u) == '/') {
                u++;
            }
            int v = skipDigits(s, u);
            if (v < n && isSpace(s.charAt(v))) {
                return new Record(s.substring(0, p), s.substring(q, r), v > u ? s.substring(u, v) : null);
            }
        }
        return null;
    }

    /**
     * {@link #EVENT}'s groups, or null when it does not match. The match is fixed by the line's end: the event is
     * the last word, which must end with ':'; before it come blanks, then either a ':' or digits (the period),
     * optional blanks and a ':'. There is only one such place, so it is also the leftmost.
     */
    static Event event(String s) {
        int e = s.length();
        while (e > 0 && isSpace(s.charAt(e - 1))) {
            e--;
        }
        if (e < 2 || s.charAt(e - 1) != ':') {
            return null;
        }
        int ts = e - 1;
        while (ts > 0 && !isSpace(s.charAt(ts - 1))) {
            ts--;
        }
        if (ts == e - 1 || ts == 0) {
            return null; // no event name before the ':', or nothing before the word
        }
        int a = ts;
        while (a > 0 && isSpace(s.charAt(a - 1))) {
            a--;
        }
        if (a == 0) {
            return null;
        }
        String event = s.substring(ts, e - 1);
        if (s.charAt(a - 1) == ':') {
            return new Event(null, event);
        }
        int d = a;
        while (d > 0 && isDigit(s.charAt(d - 1))) {
            d--;
        }
        if (d == a) {
            return null;
        }
        int w = d;
        while (w > 0 && isSpace(s.charAt(w - 1))) {
            w--;
        }
        return w > 0 && s.charAt(w - 1) == ':' ? new Event(s.substring(d, a), event) : null;
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipDigits(String s, int i) {
        while (i < s.length() && isDigit(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Java's {@code \s} without UNICODE_CHARACTER_CLASS. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
