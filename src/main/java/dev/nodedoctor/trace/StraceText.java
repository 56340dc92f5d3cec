package dev.nodedoctor.trace;

/**
 * The small scanners of strace's text — quoted strings, -y paths, timestamps, durations, names — without regular
 * expressions: strace output runs to hundreds of MB, and these run on every line.
 */
final class StraceText {
    private StraceText() {
    }

    static String quoted(String s, int from, int n) {
        int q = s.indexOf('"', from);
        if (q < 0) {
            return null;
        }
        for (int i = q + 1; i < n; i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < n) {
                i++;
                continue;
            }
            if (c == '"') {
                return s.substring(q + 1, i);
            }
        }
        return null;
    }

    /** The '>' closing a -y path: paths such as "TCP:[10.0.0.1:33462->10.7.7.48:5432]" contain '>' too. */
    static int pathEnd(String s, int from) {
        int a = s.indexOf(">, ", from);
        int b = s.indexOf(">)", from);
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }

    static int afterComma(String s, int from, int n) {
        int c = s.indexOf(", ", from);
        return c < 0 ? n : c + 2;
    }

    /** "03:55:50.648278" (time of day), "1795665348.640949" (epoch) or "0.000123" (relative), in seconds. */
    static double timestamp(String s, int from, int to) {
        double whole = 0;
        int i = from;
        int fields = 0;
        long part = 0;
        boolean digits = false;
        for (; i < to; i++) {
            char c = s.charAt(i);
            if (isDigit(c)) {
                part = part * 10 + (c - '0');
                digits = true;
                if (part > 1L << 40) {
                    return Double.NaN;
                }
            } else if (c == ':' && digits && fields < 2) {
                whole = (whole + part) * 60;
                part = 0;
                fields++;
                digits = false;
            } else if (c == '.') {
                break;
            } else {
                return Double.NaN;
            }
        }
        if (!digits) {
            return Double.NaN;
        }
        whole += part;
        if (i < to) {
            double frac = fraction(s, i + 1, to);
            if (Double.isNaN(frac)) {
                return Double.NaN;
            }
            whole += frac;
        }
        return whole;
    }

    /** "0.000050" → 5.0e-5; NaN when not a plain decimal. */
    static double seconds(String s, int from, int to) {
        long whole = 0;
        int i = from;
        for (; i < to && isDigit(s.charAt(i)); i++) {
            whole = whole * 10 + (s.charAt(i) - '0');
        }
        if (i == from || i - from > 12) {
            return Double.NaN;
        }
        if (i == to) {
            return whole;
        }
        if (s.charAt(i) != '.') {
            return Double.NaN;
        }
        double f = fraction(s, i + 1, to);
        return Double.isNaN(f) ? Double.NaN : whole + f;
    }

    private static final double[] SCALE = {1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10};

    private static double fraction(String s, int from, int to) {
        if (to - from > 9 || to == from) {
            return to == from ? 0 : Double.NaN;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return Double.NaN;
            }
            v = v * 10 + (c - '0');
        }
        return v * SCALE[to - from];
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isNameChar(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c >= 'A' && c <= 'Z' || c == '?';
    }

    static boolean isErrnoChar(char c) {
        return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }

    static String cut(String s) {
        String t = s.strip();
        return t.length() <= 120 ? t : t.substring(0, 119) + "…";
    }
}
