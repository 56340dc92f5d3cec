package dev.nodedoctor.accesslog;

import java.util.Locale;

/**
 * Histogram buckets for display: {@code width} seconds each from 0 to {@code max}, and one more for
 * everything above. The default (0.1 s up to 3.5 s) is what the hand-made histograms of the investigation
 * that motivated this command used.
 */
public record Buckets(double width, double max) {
    public static final Buckets DEFAULT = new Buckets(0.1, 3.5);

    public Buckets {
        if (!(width > 0) || !(max > width) || max / width > 10_000) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--buckets: width %s and range %s give no sensible histogram (0 < width < range, ≤ 10000 buckets)", width, max));
        }
    }

    /** "0.1" (width, default range) or "0.05:2" (width:range), in seconds. */
    public static Buckets parse(String text) {
        try {
            String[] p = text.trim().replace("s", "").split(":");
            double w = Double.parseDouble(p[0]);
            double m = p.length > 1 ? Double.parseDouble(p[1]) : Math.max(DEFAULT.max, w * 10);
            return new Buckets(w, m);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("--buckets '" + text + "': expected WIDTH or WIDTH:RANGE in seconds, e.g. 0.1 or 0.05:2");
        }
    }

    public int count() {
        return (int) Math.ceil(max / width - 1e-9);
    }
}
