package dev.nodedoctor.profile;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

/**
 * Value scaling and labels exactly as pprof prints them (its {@code measurement} package): byte and time units
 * with their aliases, automatic choice of the largest unit that keeps a value at or above 1, {@code %.2f} with
 * a trailing ".00" trimmed, and percentages with at least two significant digits. Numbers are rounded from their
 * exact binary value, half to even, as Go's formatter does (Java's own %f rounds differently).
 */
public final class Units {
    private record Unit(String name, List<String> aliases, double factor) {
    }

    private record UnitType(Unit defaultUnit, List<Unit> units) {
        Unit sniff(String unit) {
            String u = unit.toLowerCase(Locale.ROOT);
            if (u.length() > 2 && u.endsWith("s")) {
                u = u.substring(0, u.length() - 1);
            }
            for (Unit x : units) {
                if (x.aliases.contains(u)) {
                    return x;
                }
            }
            return null;
        }
    }

    private static final List<UnitType> TYPES = List.of(
            new UnitType(new Unit("B", List.of("b", "byte"), 1), List.of(
                    new Unit("B", List.of("b", "byte"), 1),
                    new Unit("kB", List.of("kb", "kbyte", "kilobyte"), 1L << 10),
                    new Unit("MB", List.of("mb", "mbyte", "megabyte"), 1L << 20),
                    new Unit("GB", List.of("gb", "gbyte", "gigabyte"), 1L << 30),
                    new Unit("TB", List.of("tb", "tbyte", "terabyte"), 1L << 40),
                    new Unit("PB", List.of("pb", "pbyte", "petabyte"), 1L << 50))),
            new UnitType(new Unit("s", List.of(), 1e9), List.of(
                    new Unit("ns", List.of("ns", "nanosecond"), 1),
                    new Unit("us", List.of("μs", "us", "microsecond"), 1e3),
                    new Unit("ms", List.of("ms", "millisecond"), 1e6),
                    new Unit("s", List.of("s", "sec", "second"), 1e9),
                    new Unit("hrs", List.of("hour", "hr"), 3600e9))));

    /** A value in some unit. {@code unit} is "" when uninteresting (counts). */
    public record Scaled(double value, String unit) {
    }

    private Units() {
    }

    /** pprof's {@code measurement.Scale}: {@code to} may be a unit, "minimum" or "auto". */
    public static Scaled scale(long value, String from, String to) {
        if (value < 0 && -value > 0) {
            Scaled s = scale(-value, from, to);
            return new Scaled(-s.value, s.unit);
        }
        for (UnitType ut : TYPES) {
            Unit fromUnit = ut.sniff(from);
            if (fromUnit == null) {
                continue;
            }
            double v = value * fromUnit.factor;
            if (to.equals("minimum") || to.equals("auto")) {
                double f = 0;
                String name = "";
                for (Unit u : ut.units) {
                    if (u.factor >= f && v / u.factor >= 1.0) {
                        f = u.factor;
                        name = u.name;
                    }
                }
                if (f != 0) {
                    return new Scaled(v / f, name);
                }
                return new Scaled(v / ut.defaultUnit.factor, ut.defaultUnit.name);
            }
            Unit toUnit = ut.sniff(to);
            if (toUnit == null) {
                return new Scaled(v / ut.defaultUnit.factor, ut.defaultUnit.name);
            }
            return new Scaled(v / toUnit.factor, toUnit.name);
        }
        return switch (to) {
            case "count", "sample", "unit", "minimum", "auto" -> new Scaled(value, "");
            default -> new Scaled(value, to);
        };
    }

    /** pprof's {@code ScaledLabel}: "1.28s", "120MB", "0" — two decimals, ".00" dropped. */
    public static String scaledLabel(long value, String from, String to) {
        Scaled s = scale(value, from, to);
        String v = fixed2(s.value);
        if (v.endsWith(".00")) {
            v = v.substring(0, v.length() - 3);
        }
        if (v.equals("0") || v.equals("-0")) {
            return "0";
        }
        return v + s.unit;
    }

    /** pprof's {@code Label}: the value in the largest fitting unit. */
    public static String label(long value, String unit) {
        return scaledLabel(value, unit, "auto");
    }

    /** pprof's {@code Percentage}: "  100%", "72.73%", "0.017%" (ratios under 1 with two significant digits). */
    public static String percentage(long value, long total) {
        double ratio = 0;
        if (total != 0) {
            ratio = Math.abs((double) value / (double) total) * 100;
        }
        if (ratio >= 99.95 && ratio <= 100.05) {
            return "  100%";
        }
        if (ratio >= 1.0) {
            return pad(fixed2(ratio), 5) + "%";
        }
        return pad(general2(ratio), 5) + "%";
    }

    /** Go's {@code %.2f}: exact binary value rounded half to even. */
    public static String fixed2(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.isNaN(v) ? "NaN" : (v > 0 ? "+Inf" : "-Inf");
        }
        String s = new BigDecimal(v).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
        if (v < 0 || (v == 0 && 1 / v < 0)) {
            // Go keeps the sign of values that round to zero ("-0.00")
            if (!s.startsWith("-")) {
                s = "-" + s;
            }
        }
        return s;
    }

    /** Go's {@code %.2g} for a non-negative value: two significant digits, trailing zeros dropped. */
    static String general2(double v) {
        if (v == 0) {
            return "0";
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(2, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        int exp = d.precision() - d.scale() - 1;
        if (exp < -4 || exp >= 2) {
            String digits = d.unscaledValue().abs().toString();
            String mant = digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
            String e = String.format(Locale.ROOT, "%02d", Math.abs(exp));
            return (d.signum() < 0 ? "-" : "") + mant + "e" + (exp < 0 ? "-" : "+") + e;
        }
        return d.toPlainString();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }
}
