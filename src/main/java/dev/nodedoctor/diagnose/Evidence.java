package dev.nodedoctor.diagnose;

import java.util.Locale;

/**
 * One fact behind a finding, with where it came from so a user can check it by hand.
 *
 * @param value  the value as shown to people ("92", "0.10")
 * @param number the same value as a number for machines, or null for text values
 * @param source the file or command it came from: {@code /sys/fs/cgroup/cpu/x/cpu.stat}
 */
public record Evidence(String name, String value, Double number, String unit, String source) {

    public static Evidence of(String name, double number, String unit, String source) {
        return new Evidence(name, format(number), number, unit, source);
    }

    public static Evidence text(String name, String value, String source) {
        return new Evidence(name, value, null, "", source);
    }

    /** Numbers as a person reads them: no "12.000000", no "1.2E7"; up to 3 significant decimals. */
    public static String format(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return String.valueOf(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        double a = Math.abs(v);
        String f = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, f, v);
    }
}
