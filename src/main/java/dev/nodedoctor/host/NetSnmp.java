package dev.nodedoctor.host;

import dev.nodedoctor.sys.Parser;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counters of {@code /proc/net/snmp} and {@code /proc/net/netstat}: both hold pairs of lines, a header
 * ({@code TcpExt: SyncookiesSent ... TCPSynRetrans ...}) and its values ({@code TcpExt: 0 ... 42 ...}).
 * Keys are {@code Group.Name}, e.g. {@code TcpExt.TCPSynRetrans}, {@code Tcp.RetransSegs} (the names nstat
 * prints without the dot). Counters are per network namespace: the reader's namespace is the one counted.
 * A header whose value line is missing (a truncated file) is skipped; a value line that does not match its
 * header is malformed.
 */
public record NetSnmp(Map<String, Long> counters) {

    public static final Parser<NetSnmp> PARSER = NetSnmp::parse;

    public NetSnmp {
        counters = Map.copyOf(counters);
    }

    /** The counter, or -1 when this kernel does not have it. */
    public long get(String key) {
        Long v = counters.get(key);
        return v == null ? -1 : v;
    }

    /** Both files read into one map (their groups do not overlap). */
    public NetSnmp plus(NetSnmp other) {
        Map<String, Long> all = new LinkedHashMap<>(counters);
        all.putAll(other.counters);
        return new NetSnmp(all);
    }

    public static NetSnmp parse(byte[] data, int length) throws Parser.MalformedException {
        String[] lines = new String(data, 0, length, StandardCharsets.US_ASCII).split("\n");
        Map<String, Long> out = new LinkedHashMap<>();
        int i = 0;
        while (i < lines.length) {
            String header = lines[i].strip();
            if (header.isEmpty()) {
                i++;
                continue;
            }
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new Parser.MalformedException("line " + (i + 1) + " is not 'Group: names...': "
                        + abbreviate(header));
            }
            String group = header.substring(0, colon);
            if (i + 1 >= lines.length || !lines[i + 1].startsWith(group + ":")) {
                i++; // header without its value line: the file was cut; keep what is complete
                continue;
            }
            String[] names = header.substring(colon + 1).strip().split("\\s+");
            String[] values = lines[i + 1].substring(colon + 1).strip().split("\\s+");
            if (names.length != values.length) {
                throw new Parser.MalformedException(group + ": " + names.length + " names but " + values.length
                        + " values");
            }
            for (int k = 0; k < names.length; k++) {
                try {
                    out.put(group + "." + names[k], Long.parseLong(values[k]));
                } catch (NumberFormatException e) {
                    throw new Parser.MalformedException(group + "." + names[k] + " = '" + abbreviate(values[k])
                            + "' is not a number");
                }
            }
            i += 2;
        }
        return new NetSnmp(out);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
