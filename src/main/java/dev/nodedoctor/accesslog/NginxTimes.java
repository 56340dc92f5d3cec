package dev.nodedoctor.accesslog;

/**
 * nginx's {@code $upstream_*_time} and {@code $request_time} values, parsed from bytes into microseconds.
 * nginx writes seconds with millisecond resolution ("1.403"), {@code -} when there was no such phase, and
 * lists when a request met several upstreams: {@code "0.001, 0.002"} (tries of the next server) and
 * {@code "0.001 : 0.002"} (internal redirects to another upstream group). A list is summed — the time the
 * request spent — and its length kept as the number of tries. Entries of {@code -} count as tries of 0 s.
 */
public final class NginxTimes {
    private NginxTimes() {
    }

    /** Sum in microseconds, or -1 when nothing numeric is there; the count of entries goes to {@code tries[0]}. */
    public static long parse(byte[] b, int s, int e, int[] tries) {
        long one = millis(b, s, e);
        if (one >= 0) {
            if (tries != null) {
                tries[0] = 1;
            }
            return one;
        }
        long sum = 0;
        int entries = 0;
        boolean any = false;
        int i = s;
        while (i < e) {
            byte c = b[i];
            if (c == ' ' || c == ',' || c == ':') {
                i++;
                continue;
            }
            entries++;
            if (c == '-') {
                i++;
                continue;
            }
            long whole = 0;
            long frac = 0;
            int fracDigits = 0;
            boolean digits = false;
            while (i < e && b[i] >= '0' && b[i] <= '9') {
                whole = whole * 10 + (b[i] - '0');
                digits = true;
                i++;
            }
            if (i < e && b[i] == '.') {
                i++;
                while (i < e && b[i] >= '0' && b[i] <= '9') {
                    if (fracDigits < 6) {
                        frac = frac * 10 + (b[i] - '0');
                        fracDigits++;
                    }
                    digits = true;
                    i++;
                }
            }
            if (!digits || (i < e && b[i] != ' ' && b[i] != ',' && b[i] != ':')) {
                return Long.MIN_VALUE; // not a time: the caller reports the line
            }
            for (int k = fracDigits; k < 6; k++) {
                frac *= 10;
            }
            sum += whole * 1_000_000L + frac;
            any = true;
        }
        if (tries != null) {
            tries[0] = entries;
        }
        return any ? sum : -1;
    }

    /**
     * The shape nginx writes on almost every line, one time with exactly three decimals ("0.009", "12.345"),
     * in microseconds without a loop over separators; -1 for anything else (the general parser decides).
     */
    private static long millis(byte[] b, int s, int e) {
        int dot = e - 4;
        if (dot <= s || dot - s > 9 || b[dot] != '.') {
            return -1;
        }
        int f1 = b[dot + 1] - '0';
        int f2 = b[dot + 2] - '0';
        int f3 = b[dot + 3] - '0';
        if ((f1 | f2 | f3) < 0 || f1 > 9 || f2 > 9 || f3 > 9) {
            return -1;
        }
        long whole = 0;
        for (int i = s; i < dot; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            whole = whole * 10 + d;
        }
        return whole * 1_000_000L + (f1 * 100 + f2 * 10 + f3) * 1000L;
    }

    public static long parse(String text, int[] tries) {
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return parse(b, 0, b.length, tries);
    }

    /** The first three-digit code of a {@code $status} value, or -1. */
    public static int status(byte[] b, int s, int e) {
        int v = 0;
        int n = 0;
        for (int i = s; i < e && n < 3; i++, n++) {
            if (b[i] < '0' || b[i] > '9') {
                return -1;
            }
            v = v * 10 + (b[i] - '0');
        }
        return n == 3 ? v : -1;
    }
}
