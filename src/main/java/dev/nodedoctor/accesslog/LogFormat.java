package dev.nodedoctor.accesslog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A text log format given as an nginx {@code log_format} string: literals and {@code $variables}. A line is
 * read left to right; each variable's value runs to the next literal. The {@code $upstream_*} variables may
 * hold lists ({@code "a, b"}, {@code "a : b"}) whose separators contain the following literal, so for them a
 * space after a comma or before/after a colon does not end the value. A value in double quotes may contain
 * {@code \"} (nginx itself writes {@code \x22}).
 */
public final class LogFormat implements LineParser {
    /** nginx's {@code combined}, extended with the four timings (README of this package). */
    public static final String COMBINED_TIMED = "$remote_addr - $remote_user [$time_local] \"$request\" $status "
            + "$body_bytes_sent \"$http_referer\" \"$http_user_agent\" $request_time $upstream_connect_time "
            + "$upstream_header_time $upstream_response_time";
    /** ingress-nginx's default {@code log-format-upstream} (its docs, "Log format"). */
    public static final String INGRESS = "$remote_addr - $remote_user [$time_local] \"$request\" $status "
            + "$body_bytes_sent \"$http_referer\" \"$http_user_agent\" $request_length $request_time "
            + "[$proxy_upstream_name] [$proxy_alternative_upstream_name] $upstream_addr $upstream_response_length "
            + "$upstream_response_time $upstream_status $req_id";

    private final String format;
    private final List<byte[]> literals = new ArrayList<>(); // literal before variable i; one more at the end
    private final List<String> names = new ArrayList<>();
    private final int[] slots;
    private final boolean[] lists;
    private final Fields fields;
    private String error;

    public LogFormat(String format, String joinField) {
        this.format = format;
        this.fields = new Fields(joinField);
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c == '$' && i + 1 < format.length()) {
                int s = i + 1;
                int e;
                String name;
                if (format.charAt(s) == '{') {
                    e = format.indexOf('}', s);
                    if (e < 0) {
                        throw new IllegalArgumentException("log format: unterminated ${ at column " + (i + 1));
                    }
                    name = format.substring(s + 1, e);
                    e++;
                } else {
                    e = s;
                    while (e < format.length() && (Character.isLetterOrDigit(format.charAt(e)) || format.charAt(e) == '_')) {
                        e++;
                    }
                    name = format.substring(s, e);
                }
                if (name.isEmpty()) {
                    lit.append(c);
                    i++;
                    continue;
                }
                if (!names.isEmpty() && lit.length() == 0) {
                    throw new IllegalArgumentException("log format: $" + names.get(names.size() - 1) + " and $" + name
                            + " touch: nothing separates them");
                }
                literals.add(lit.toString().getBytes(StandardCharsets.UTF_8));
                lit.setLength(0);
                names.add(name);
                i = e;
            } else {
                lit.append(c);
                i++;
            }
        }
        literals.add(lit.toString().getBytes(StandardCharsets.UTF_8));
        if (names.isEmpty()) {
            throw new IllegalArgumentException("log format has no $variables: " + format);
        }
        slots = new int[names.size()];
        lists = new boolean[names.size()];
        boolean timing = false;
        for (int k = 0; k < names.size(); k++) {
            slots[k] = fields.slot(names.get(k));
            lists[k] = names.get(k).startsWith("upstream_");
            timing |= slots[k] == Fields.REQUEST_TIME || slots[k] == Fields.RESPONSE || slots[k] == Fields.CONNECT
                    || slots[k] == Fields.HEADER;
        }
        if (!timing) {
            throw new IllegalArgumentException("log format has none of $request_time, $upstream_connect_time, "
                    + "$upstream_header_time, $upstream_response_time: nothing to measure");
        }
    }

    public String format() {
        return format;
    }

    public List<String> variables() {
        return List.copyOf(names);
    }

    @Override
    public String error() {
        return error;
    }

    @Override
    public boolean parse(byte[] b, int s, int e, AccessRecord r) {
        r.reset(b);
        int i = s;
        for (int k = 0; k < names.size(); k++) {
            byte[] lit = literals.get(k);
            if (!startsWith(b, i, e, lit)) {
                return fail("expected '" + new String(lit, StandardCharsets.UTF_8) + "' before $" + names.get(k)
                        + " at column " + (i - s + 1));
            }
            i += lit.length;
            byte[] next = literals.get(k + 1);
            int ve = next.length == 0 && k == names.size() - 1 ? e : find(b, i, e, next, lists[k]);
            if (ve < 0) {
                return fail("no '" + new String(next, StandardCharsets.UTF_8) + "' after $" + names.get(k));
            }
            if (slots[k] != Fields.IGNORE && !fields.apply(r, slots[k], b, i, ve, false)) {
                return fail("bad value for $" + names.get(k) + ": " + new String(b, i, Math.min(ve - i, 40), StandardCharsets.UTF_8));
            }
            i = ve;
        }
        byte[] tail = literals.get(names.size());
        if (tail.length > 0 && !startsWith(b, i, e, tail)) {
            return fail("expected '" + new String(tail, StandardCharsets.UTF_8) + "' at the end");
        }
        return true;
    }

    private boolean fail(String why) {
        error = why;
        return false;
    }

    private static boolean startsWith(byte[] b, int i, int e, byte[] lit) {
        if (e - i < lit.length) {
            return false;
        }
        for (int k = 0; k < lit.length; k++) {
            if (b[i + k] != lit[k]) {
                return false;
            }
        }
        return true;
    }

    private static int find(byte[] b, int i, int e, byte[] lit, boolean list) {
        int from = i;
        while (true) {
            int at = -1;
            for (int p = from; p + lit.length <= e; p++) {
                if (b[p] == lit[0] && startsWith(b, p, e, lit)) {
                    at = p;
                    break;
                }
            }
            if (at < 0) {
                return -1;
            }
            if (lit[0] == '"' && at > i && b[at - 1] == '\\') {
                from = at + 1; // an escaped quote inside the value
                continue;
            }
            if (list && lit[0] == ' ' && at > i && b[at - 1] == ',') {
                from = at + 1; // "a, b": the list goes on
                continue;
            }
            if (list && lit[0] == ' ' && at + 2 < e && b[at + 1] == ':' && b[at + 2] == ' ') {
                from = at + 3; // "a : b": the list goes on
                continue;
            }
            return at;
        }
    }
}
