package dev.nodedoctor.accesslog;

import java.util.regex.Pattern;

/**
 * Which records count: {@code --path REGEX} (found anywhere in the path), {@code --status} ("502",
 * "5xx", "499,502-504"), {@code --since}/{@code --until} (epoch ms; records without a timestamp are kept
 * only when neither is set), {@code --min-time} (request_time, µs) and {@code --upstream} (a substring of
 * $upstream_addr).
 *
 * @param statusCodes {@code --status} as a table over 0..999, worked out once: the check runs on every record
 */
public record Filters(Pattern path, String status, long sinceMillis, long untilMillis, long minTimeMicros,
                      String upstream, boolean[] statusCodes) {
    public static final Filters NONE = new Filters(null, null, Long.MIN_VALUE, Long.MAX_VALUE, -1, null);

    public Filters(Pattern path, String status, long sinceMillis, long untilMillis, long minTimeMicros, String upstream) {
        this(path, status, sinceMillis, untilMillis, minTimeMicros, upstream, codes(status));
    }

    private static boolean[] codes(String status) {
        if (status == null) {
            return null;
        }
        boolean[] codes = new boolean[1000];
        for (String part : status.split(",")) {
            String p = part.trim();
            if (!p.matches("[1-5]xx|\\d{3}(-\\d{3})?")) {
                throw new IllegalArgumentException("--status '" + status + "': expected codes such as 502, 5xx, 502-504, 499,5xx");
            }
            int lo;
            int hi;
            if (p.endsWith("xx")) {
                lo = (p.charAt(0) - '0') * 100;
                hi = lo + 99;
            } else if (p.contains("-")) {
                lo = Integer.parseInt(p.substring(0, 3));
                hi = Integer.parseInt(p.substring(4));
            } else {
                lo = hi = Integer.parseInt(p);
            }
            for (int c = lo; c <= hi; c++) {
                codes[c] = true;
            }
        }
        return codes;
    }

    boolean timeBound() {
        return sinceMillis != Long.MIN_VALUE || untilMillis != Long.MAX_VALUE;
    }

    /** All filters but --min-time, which a join applies to the outermost layer of each request. */
    boolean acceptsExceptTime(AccessRecord r) {
        if (statusCodes != null && !statusMatches(r.status())) {
            return false;
        }
        if (timeBound()) {
            long t = r.epochMillis();
            if (t == Long.MIN_VALUE || t < sinceMillis || t >= untilMillis) {
                return false;
            }
        }
        if (path != null) {
            String p = r.path();
            if (p == null || !path.matcher(p).find()) {
                return false;
            }
        }
        if (upstream != null) {
            String a = r.upstreamAddr();
            return a != null && a.contains(upstream);
        }
        return true;
    }

    boolean accepts(AccessRecord r) {
        return (minTimeMicros < 0 || r.requestMicros() >= minTimeMicros) && acceptsExceptTime(r);
    }

    private boolean statusMatches(int code) {
        return code >= 0 && code < statusCodes.length && statusCodes[code];
    }
}
