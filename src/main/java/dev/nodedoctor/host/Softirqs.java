package dev.nodedoctor.host;

import dev.nodedoctor.sys.Parser;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * /proc/softirqs: for each softirq type (NET_RX, TIMER, BLOCK, RCU, ...), how many times it ran on each CPU
 * since boot. Two readings give per-CPU rates; one CPU doing all of a type's work is the "single queue" pattern.
 */
public record Softirqs(int cpus, Map<String, long[]> counts) {

    public static final Parser<Softirqs> PARSER = Softirqs::parse;

    public static Softirqs parse(byte[] data, int length) throws Parser.MalformedException {
        String[] lines = new String(data, 0, length, StandardCharsets.UTF_8).split("\n");
        if (lines.length == 0 || !lines[0].trim().startsWith("CPU")) {
            throw new Parser.MalformedException("no CPU header line");
        }
        int cpus = lines[0].trim().split("\\s+").length;
        Map<String, long[]> out = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].trim();
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            long[] v = new long[cpus];
            for (int c = 0; c < cpus && c < f.length; c++) {
                try {
                    v[c] = Long.parseLong(f[c]);
                } catch (NumberFormatException e) {
                    throw new Parser.MalformedException("bad count in '" + line + "'");
                }
            }
            out.put(line.substring(0, colon), v);
        }
        return new Softirqs(cpus, out);
    }
}
