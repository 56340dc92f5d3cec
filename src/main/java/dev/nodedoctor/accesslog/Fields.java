package dev.nodedoctor.accesslog;

import java.nio.charset.StandardCharsets;

/**
 * Which log fields the analysis reads, by the nginx variable names (JSON keys in escape=json formats are
 * usually the same names), and how each value lands in an {@link AccessRecord}.
 */
final class Fields {
    static final int IGNORE = 0;
    static final int REQUEST_TIME = 1;
    static final int CONNECT = 2;
    static final int HEADER = 3;
    static final int RESPONSE = 4;
    static final int STATUS = 5;
    static final int URI = 6;
    static final int REQUEST = 7;
    static final int ADDR = 8;
    static final int ISO = 9;
    static final int LOCAL = 10;
    static final int MSEC = 11;
    static final int KEY = 12;

    private final String joinField;
    private final int[] tries = new int[1];

    Fields(String joinField) {
        this.joinField = joinField;
    }

    /** The slot for a variable or key name; the join field wins over everything else. */
    int slot(String name) {
        if (joinField != null && (name.equals(joinField) || name.equals("http_x_" + joinField.replace('-', '_'))
                || name.equals("http_" + joinField.replace('-', '_')))) {
            return KEY;
        }
        return switch (name) {
            case "request_time" -> REQUEST_TIME;
            case "upstream_connect_time" -> CONNECT;
            case "upstream_header_time" -> HEADER;
            case "upstream_response_time" -> RESPONSE;
            case "status" -> STATUS;
            case "request_uri", "uri", "path" -> URI;
            case "request" -> REQUEST;
            case "upstream_addr" -> ADDR;
            case "time_iso8601", "@timestamp", "timestamp", "time" -> ISO;
            case "time_local" -> LOCAL;
            case "msec" -> MSEC;
            default -> IGNORE;
        };
    }

    /** Puts one value into the record; false when a time or status value is not what nginx writes. */
    boolean apply(AccessRecord r, int slot, byte[] b, int s, int e, boolean escaped) {
        switch (slot) {
            case REQUEST_TIME -> {
                r.requestTime = NginxTimes.parse(b, s, e, null);
                return r.requestTime != Long.MIN_VALUE;
            }
            case CONNECT -> {
                r.connectTime = NginxTimes.parse(b, s, e, null);
                return r.connectTime != Long.MIN_VALUE;
            }
            case HEADER -> {
                r.headerTime = NginxTimes.parse(b, s, e, null);
                return r.headerTime != Long.MIN_VALUE;
            }
            case RESPONSE -> {
                r.responseTime = NginxTimes.parse(b, s, e, tries);
                r.tries = r.responseTime == -1 && tries[0] <= 1 ? 0 : tries[0];
                return r.responseTime != Long.MIN_VALUE;
            }
            case STATUS -> {
                r.status = NginxTimes.status(b, s, e);
                return r.status >= 0 || e == s || (e - s == 1 && b[s] == '-');
            }
            case URI -> r.setText(AccessRecord.PATH, b, s, e, escaped);
            case REQUEST -> {
                if (!r.hasText(AccessRecord.PATH)) {
                    r.setText(AccessRecord.PATH, b, s, e, escaped);
                    r.markRequestLine(AccessRecord.PATH);
                }
            }
            case ADDR -> r.setText(AccessRecord.ADDR, b, s, e, escaped);
            case KEY -> r.setText(AccessRecord.KEY, b, s, e, escaped);
            case MSEC -> time(r, AccessRecord.TimeKind.MSEC, b, s, e, true);
            case ISO -> time(r, AccessRecord.TimeKind.ISO8601, b, s, e, false);
            case LOCAL -> time(r, AccessRecord.TimeKind.LOCAL, b, s, e, false);
            default -> {
            }
        }
        return true;
    }

    boolean apply(AccessRecord r, int slot, String value) {
        if (slot == IGNORE) {
            return true;
        }
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        return apply(r, slot, b, 0, b.length, false);
    }

    private static void time(AccessRecord r, AccessRecord.TimeKind kind, byte[] b, int s, int e, boolean overwrite) {
        if (e > s && (overwrite || r.timeKind == null)) {
            r.timeKind = kind;
            r.setText(AccessRecord.TIME, b, s, e, false);
        }
    }
}
