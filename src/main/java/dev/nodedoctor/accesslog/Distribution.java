package dev.nodedoctor.accesslog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.util.ArrayList;
import java.util.List;

/**
 * A summary of one series of durations, in seconds: percentiles, the display histogram and the fine
 * 10 ms histogram the rules read. Computed from an HdrHistogram of microseconds with 3 significant digits,
 * so each percentile is within 0.1 % of the exact value (nginx writes milliseconds, so below 1 s they are
 * exact).
 *
 * @param buckets    counts per display bucket; the last one holds everything at or above the range
 * @param tailExcess Σ over values above the median of (value − median), seconds: how much this series adds
 *                   to the tail, comparable between the parts of a request
 */
public record Distribution(long count, double p50, double p90, double p99, double p999, double max, double mean,
                           double bucketWidth, List<Long> buckets, double tailExcess,
                           @JsonIgnore long[] centis) {
    public static final int CENTIS = 1000; // 10 ms bins up to 10 s, then one overflow bin

    static Distribution of(Histogram h, Buckets b) {
        long n = h.getTotalCount();
        if (n == 0) {
            return new Distribution(0, 0, 0, 0, 0, 0, 0, b.width(), List.of(), 0, new long[CENTIS + 1]);
        }
        double p50 = s(h.getValueAtPercentile(50));
        List<Long> buckets = new ArrayList<>();
        int nb = b.count();
        long[] byBucket = new long[nb + 1];
        long[] centis = new long[CENTIS + 1];
        double excess = 0;
        for (HistogramIterationValue v : h.recordedValues()) {
            long us = h.medianEquivalentValue(v.getValueIteratedTo());
            long c = v.getCountAtValueIteratedTo();
            double sec = us / 1e6;
            int bi = (int) Math.floor(sec / b.width() + 1e-9);
            byBucket[Math.min(Math.max(bi, 0), nb)] += c;
            centis[(int) Math.min(us / 10_000, CENTIS)] += c;
            if (sec > p50) {
                excess += (sec - p50) * c;
            }
        }
        for (long c : byBucket) {
            buckets.add(c);
        }
        return new Distribution(n, p50, s(h.getValueAtPercentile(90)), s(h.getValueAtPercentile(99)),
                s(h.getValueAtPercentile(99.9)), s(h.getMaxValue()), h.getMean() / 1e6, b.width(), List.copyOf(buckets),
                excess, centis);
    }

    private static double s(long us) {
        return us / 1e6;
    }

    /** How many values lie in [lo, hi) seconds, at 10 ms resolution (values ≥ 10 s are not resolved). */
    public long countBetween(double lo, double hi) {
        long sum = 0;
        int from = (int) Math.max(0, Math.round(lo * 100));
        int to = (int) Math.min(CENTIS, Math.round(hi * 100));
        for (int i = from; i < to; i++) {
            sum += centis[i];
        }
        return sum;
    }
}
