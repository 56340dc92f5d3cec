package dev.nodedoctor.accesslog;

import java.nio.charset.StandardCharsets;

/**
 * One access-log line as the analysis needs it. Mutable and reused by its source, so gigabytes of logs cost
 * no allocation per line: times are parsed straight into microseconds, and text fields (path, upstream
 * address, join key, timestamp) are kept as offsets into the line and decoded only when asked for.
 * A time of {@code -1} means absent ({@code -} or empty in the log).
 */
public final class AccessRecord {
    public static final int PATH = 0;
    public static final int ADDR = 1;
    public static final int KEY = 2;
    public static final int TIME = 3;
    static final int TEXT_FIELDS = 4;

    /** How a TIME field is written. */
    public enum TimeKind { ISO8601, LOCAL, MSEC }

    long requestTime = -1;
    long connectTime = -1;
    long headerTime = -1;
    long responseTime = -1;
    int tries;
    int status = -1;
    TimeKind timeKind;
    private long epochMillis = Long.MIN_VALUE;
    private boolean timeDecoded;

    private final byte[][] bufs = new byte[TEXT_FIELDS][];
    private final int[] start = new int[TEXT_FIELDS];
    private final int[] end = new int[TEXT_FIELDS];
    private final boolean[] escaped = new boolean[TEXT_FIELDS];
    private final boolean[] requestLine = new boolean[TEXT_FIELDS];
    private final String[] text = new String[TEXT_FIELDS];

    void reset(byte[] line) {
        requestTime = connectTime = headerTime = responseTime = -1;
        tries = 0;
        status = -1;
        timeKind = null;
        epochMillis = Long.MIN_VALUE;
        timeDecoded = false;
        for (int i = 0; i < TEXT_FIELDS; i++) {
            start[i] = -1;
            text[i] = null;
            requestLine[i] = false;
        }
    }

    void setText(int field, byte[] b, int s, int e, boolean jsonEscaped) {
        bufs[field] = b;
        start[field] = s;
        end[field] = e;
        escaped[field] = jsonEscaped;
        text[field] = null;
    }

    void setText(int field, String value) {
        text[field] = value;
        start[field] = -2;
    }

    /** The path comes from {@code $request} ("GET /x HTTP/1.1"): keep only the path when decoding. */
    void markRequestLine(int field) {
        requestLine[field] = true;
    }

    boolean hasText(int field) {
        return start[field] != -1;
    }

    /**
     * Whether the field's text is exactly its bytes in the line (present, no JSON escapes, not cut from a
     * request line), so that {@link #text} can be looked up by {@link #rawKey} without decoding.
     */
    boolean hasRawText(int field) {
        return start[field] >= 0 && !escaped[field] && !requestLine[field];
    }

    /** The field's bytes in {@code probe} (only when {@link #hasRawText}). */
    ByteKey rawKey(int field, ByteKey probe) {
        return probe.set(bufs[field], start[field], end[field]);
    }

    /** Seconds → microseconds for display and tests. */
    public double requestSeconds() {
        return requestTime / 1e6;
    }

    public long requestMicros() {
        return requestTime;
    }

    public long connectMicros() {
        return connectTime;
    }

    public long headerMicros() {
        return headerTime;
    }

    public long responseMicros() {
        return responseTime;
    }

    /** How many upstream attempts the upstream times list (tries and internal redirects), 0 when none. */
    public int tries() {
        return tries;
    }

    public int status() {
        return status;
    }

    /** The field's text, or null when the line has none (absent, empty or "-"). */
    public String text(int field) {
        String t = text[field];
        if (t == null && start[field] >= 0) {
            byte[] b = bufs[field];
            t = escaped[field] ? JsonText.unescape(b, start[field], end[field])
                    : new String(b, start[field], end[field] - start[field], StandardCharsets.UTF_8);
            text[field] = t;
        }
        if (t == null || t.isEmpty() || t.equals("-")) {
            return null;
        }
        if (requestLine[field]) {
            int a = t.indexOf(' ');
            int b = a < 0 ? -1 : t.indexOf(' ', a + 1);
            t = a < 0 ? t : b < 0 ? t.substring(a + 1) : t.substring(a + 1, b);
        }
        return t;
    }

    public String path() {
        return text(PATH);
    }

    public String upstreamAddr() {
        return text(ADDR);
    }

    public String joinKey() {
        return text(KEY);
    }

    /** Milliseconds since the epoch from the line's timestamp, or {@link Long#MIN_VALUE} when it has none. */
    public long epochMillis() {
        if (!timeDecoded) {
            timeDecoded = true;
            String t = text(TIME);
            epochMillis = t == null || timeKind == null ? Long.MIN_VALUE : Timestamps.parse(t, timeKind);
        }
        return epochMillis;
    }
}
