package dev.nodedoctor.kube;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes resource quantity ({@code 500m}, {@code 0.5}, {@code 128Mi}, {@code 1e3}), kept exact.
 * The grammar is apimachinery's {@code resource.Quantity}: a signed decimal number, then one suffix:
 * <ul>
 *   <li>decimal SI: {@code n u m} (10^-9, 10^-6, 10^-3), none, {@code k M G T P E} (10^3 ... 10^18)</li>
 *   <li>binary SI: {@code Ki Mi Gi Ti Pi Ei} (2^10 ... 2^60)</li>
 *   <li>a decimal exponent: {@code e} or {@code E} and a signed integer ({@code 1e3}, {@code 5E-2})</li>
 * </ul>
 * Suffixes are case-sensitive, as in Kubernetes: {@code 1K} and {@code 1mi} are errors, {@code 1M} is
 * 10^6 bytes and {@code 1m} is a thousandth.
 */
public record Quantity(String text, BigDecimal amount) {

    private static final Pattern FORM = Pattern.compile("([+-]?)(\\d+(?:\\.\\d*)?|\\.\\d+)(.*)");
    private static final Pattern EXPONENT = Pattern.compile("[eE]([+-]?\\d+)");
    // More than enough for any real quantity; it keeps BigDecimal away from 10^999999999.
    private static final int MAX_EXPONENT = 100;

    private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
            Map.entry("", BigDecimal.ONE),
            Map.entry("n", BigDecimal.ONE.scaleByPowerOfTen(-9)),
            Map.entry("u", BigDecimal.ONE.scaleByPowerOfTen(-6)),
            Map.entry("m", BigDecimal.ONE.scaleByPowerOfTen(-3)),
            Map.entry("k", BigDecimal.ONE.scaleByPowerOfTen(3)),
            Map.entry("M", BigDecimal.ONE.scaleByPowerOfTen(6)),
            Map.entry("G", BigDecimal.ONE.scaleByPowerOfTen(9)),
            Map.entry("T", BigDecimal.ONE.scaleByPowerOfTen(12)),
            Map.entry("P", BigDecimal.ONE.scaleByPowerOfTen(15)),
            Map.entry("E", BigDecimal.ONE.scaleByPowerOfTen(18)),
            Map.entry("Ki", BigDecimal.valueOf(1L << 10)),
            Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
            Map.entry("Gi", BigDecimal.valueOf(1L << 30)),
            Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
            Map.entry("Pi", BigDecimal.valueOf(1L << 50)),
            Map.entry("Ei", BigDecimal.valueOf(1L << 60)));

    static final String EXPECTED = "expected a number with an optional suffix"
            + " (m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei, or an exponent like e3), e.g. 500m, 0.5, 2, 128Mi, 1.5Gi";

    public Quantity {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(amount, "amount");
    }

    /**
     * Parses a quantity.
     *
     * @throws IllegalArgumentException naming the bad text and the expected form
     */
    public static Quantity parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty quantity: " + EXPECTED);
        }
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw bad(text);
        }
        BigDecimal number = new BigDecimal(m.group(1) + m.group(2));
        String suffix = m.group(3);
        BigDecimal factor = SUFFIXES.get(suffix);
        if (factor != null) {
            return new Quantity(text, number.multiply(factor));
        }
        Matcher exp = EXPONENT.matcher(suffix);
        if (!exp.matches()) {
            throw bad(text);
        }
        String digits = exp.group(1).replaceFirst("^[+-]?0*", "");
        if (digits.length() > 4 || Integer.parseInt(digits.isEmpty() ? "0" : digits) > MAX_EXPONENT) {
            throw new IllegalArgumentException("quantity '" + text + "' is out of range: exponent above " + MAX_EXPONENT);
        }
        return new Quantity(text, number.scaleByPowerOfTen(Integer.parseInt(exp.group(1))));
    }

    public boolean isNegative() {
        return amount.signum() < 0;
    }

    /**
     * The amount in thousandths, rounded up, as apimachinery's {@code MilliValue()}: CPU in millicores.
     * {@code 0.1m} is 1 millicore, not 0.
     */
    public long milliValue() {
        return ceilToLong(amount.scaleByPowerOfTen(3));
    }

    /** The amount rounded up, as apimachinery's {@code Value()}: memory in bytes. */
    public long value() {
        return ceilToLong(amount);
    }

    private long ceilToLong(BigDecimal v) {
        BigDecimal ceil = v.setScale(0, RoundingMode.CEILING);
        if (ceil.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 || ceil.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0) {
            throw new IllegalArgumentException("quantity '" + text + "' is out of range: too large for a 64-bit value");
        }
        return ceil.longValueExact();
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("invalid quantity '" + text + "': " + EXPECTED);
    }

    @Override
    public String toString() {
        return text;
    }
}
