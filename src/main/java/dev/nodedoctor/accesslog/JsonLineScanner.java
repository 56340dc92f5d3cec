package dev.nodedoctor.accesslog;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The fast path: one flat JSON object per line, as nginx {@code log_format … escape=json} writes it. A
 * byte-level scan that looks only at the keys it needs and builds no tree; nested values are skipped.
 * Values may be strings ({@code "1.403"}, nginx always writes strings) or bare numbers (hand-written
 * formats such as {@code "request_time": $request_time}).
 */
public final class JsonLineScanner implements LineParser {
    private final Fields fields;
    private final Map<ByteKey, Integer> slots = new HashMap<>();
    private final ByteKey probe = new ByteKey();
    private String error;
    // nginx writes the keys in the same order on every line: remember the order, and a key is known by one
    // comparison with the key seen at the same position on the previous line instead of a hash lookup
    private byte[][] orderKeys = new byte[64][];
    private final int[] orderSlots = new int[64];

    public JsonLineScanner(String joinField) {
        this.fields = new Fields(joinField);
    }

    @Override
    public String error() {
        return error;
    }

    @Override
    public boolean parse(byte[] b, int s, int e, AccessRecord r) {
        r.reset(b);
        int i = skipWs(b, s, e);
        if (i >= e || b[i] != '{') {
            return fail("not a JSON object");
        }
        i++;
        int k = 0;
        while (true) {
            i = skipWs(b, i, e);
            if (i >= e) {
                return fail("unterminated JSON object");
            }
            if (b[i] == '}') {
                return true;
            }
            if (b[i] != '"') {
                return fail("expected a key at byte " + (i - s + 1));
            }
            int ks = i + 1;
            int ke;
            int slot;
            byte[] expected = k < orderKeys.length ? orderKeys[k] : null;
            if (expected != null && ks + expected.length < e && b[ks + expected.length] == '"'
                    && Swar.same(b, ks, expected)) {
                // the key this position held on the previous line: known by one comparison, no scan for its
                // end (a stored key is a whole string's content, so the same bytes then '"' are the same key)
                ke = ks + expected.length;
                slot = orderSlots[k];
            } else {
                ke = endOfString(b, ks, e);
                if (ke < 0) {
                    return fail("unterminated key");
                }
                slot = slot(b, ks, ke);
                if (k < orderKeys.length) {
                    orderKeys[k] = Arrays.copyOfRange(b, ks, ke);
                    orderSlots[k] = slot;
                }
            }
            i = skipWs(b, ke + 1, e);
            if (i >= e || b[i] != ':') {
                return fail("expected ':' at byte " + (i - s + 1));
            }
            i = skipWs(b, i + 1, e);
            if (i >= e) {
                return fail("missing value");
            }
            k++;
            int vs;
            int ve;
            boolean escaped = false;
            if (b[i] == '"') {
                vs = i + 1;
                ve = endOfString(b, vs, e);
                if (ve < 0) {
                    return fail("unterminated string");
                }
                escaped = sawEscape;
                i = ve + 1;
            } else if (b[i] == '{' || b[i] == '[') {
                vs = ve = -1;
                i = skipNested(b, i, e);
                if (i < 0) {
                    return fail("unterminated nested value");
                }
            } else {
                vs = i;
                while (i < e && b[i] != ',' && b[i] != '}' && b[i] != ' ' && b[i] != '\t') {
                    i++;
                }
                ve = i;
                if (ve - vs == 4 && b[vs] == 'n') {
                    ve = vs; // null
                }
            }
            if (slot != Fields.IGNORE && vs >= 0 && !fields.apply(r, slot, b, vs, ve, escaped)) {
                return fail("bad value for \"" + new String(b, ks, ke - ks, StandardCharsets.UTF_8) + "\": "
                        + new String(b, vs, Math.min(ve - vs, 40), StandardCharsets.UTF_8));
            }
            i = skipWs(b, i, e);
            if (i < e && b[i] == ',') {
                i++;
            } else if (i < e && b[i] == '}') {
                return true;
            } else {
                return fail("expected ',' or '}' at byte " + (i - s + 1));
            }
        }
    }

    private boolean fail(String why) {
        error = why;
        return false;
    }

    private int slot(byte[] b, int s, int e) {
        probe.set(b, s, e);
        Integer slot = slots.get(probe);
        if (slot == null) {
            String name = new String(b, s, e - s, StandardCharsets.UTF_8);
            slot = fields.slot(name);
            if (slots.size() < 4096) {
                slots.put(new ByteKey().set(b, s, e).compact(), slot);
            }
        }
        return slot;
    }

    private static int skipWs(byte[] b, int i, int e) {
        while (i < e && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r')) {
            i++;
        }
        return i;
    }

    private boolean sawEscape;

    /** Index of the closing quote, skipping backslash escapes (noted in {@link #sawEscape}); -1 when the line ends first. */
    private int endOfString(byte[] b, int i, int e) {
        sawEscape = false;
        while (i < e) {
            i = Swar.quoteOrBackslash(b, i, e);
            if (i >= e) {
                return -1;
            }
            if (b[i] == '"') {
                return i;
            }
            sawEscape = true;
            i += 2; // a backslash escapes the next byte
        }
        return -1;
    }

    private int skipNested(byte[] b, int i, int e) {
        int depth = 0;
        while (i < e) {
            byte c = b[i];
            if (c == '"') {
                i = endOfString(b, i + 1, e);
                if (i < 0) {
                    return -1;
                }
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (--depth == 0) {
                    return i + 1;
                }
            }
            i++;
        }
        return -1;
    }
}
