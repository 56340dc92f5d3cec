package dev.nodedoctor.host;

import dev.nodedoctor.sys.Parser;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * /proc/interrupts: per IRQ line (a number such as {@code 24} or a name such as {@code LOC}), how many
 * interrupts each CPU took since boot, and what raised them ("IO-APIC 1-edge i8042", "PCI-MSI … virtio0-input.0").
 * With /proc/softirqs it tells which device keeps one CPU busy.
 */
public record Interrupts(int cpus, Map<String, Line> lines) {

    /** @param source the text after the counts: controller, trigger and device names */
    public record Line(String irq, long[] counts, String source) {
    }

    public static final Parser<Interrupts> PARSER = Interrupts::parse;

    public static Interrupts parse(byte[] data, int length) throws Parser.MalformedException {
        String[] rows = new String(data, 0, length, StandardCharsets.UTF_8).split("\n");
        if (rows.length == 0 || !rows[0].trim().startsWith("CPU")) {
            throw new Parser.MalformedException("no CPU header line");
        }
        int cpus = rows[0].trim().split("\\s+").length;
        Map<String, Line> out = new LinkedHashMap<>();
        for (int i = 1; i < rows.length; i++) {
            String row = rows[i];
            int colon = row.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String irq = row.substring(0, colon).trim();
            String[] f = row.substring(colon + 1).trim().split("\\s+");
            long[] counts = new long[cpus];
            int c = 0;
            // ERR: and MIS: have one total instead of a column per CPU; the source text follows the counts
            while (c < cpus && c < f.length && f[c].chars().allMatch(Character::isDigit) && !f[c].isEmpty()) {
                counts[c] = Long.parseLong(f[c]);
                c++;
            }
            StringBuilder source = new StringBuilder();
            for (int k = c; k < f.length; k++) {
                source.append(k > c ? " " : "").append(f[k]);
            }
            out.put(irq, new Line(irq, counts, source.toString()));
        }
        return new Interrupts(cpus, out);
    }
}
