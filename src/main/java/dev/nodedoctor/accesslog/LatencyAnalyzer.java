package dev.nodedoctor.accesslog;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accumulates records into histograms, streaming. Memory: five HdrHistograms per layer, two per hop and
 * component, a table of slow-connect upstream addresses (capped), and, with a join, one small entry per join
 * key seen in some layers but not yet in all. Entries older than the join window (by the logs' own
 * timestamps) are closed as unmatched, so that table is bounded by the requests in flight, not by the file.
 */
public final class LatencyAnalyzer {
    static final long HIGHEST_US = 3_600_000_000L; // one hour: nginx's longest proxy timeouts fit
    static final long SLOW_CONNECT_US = 900_000;
    private static final int MAX_ADDRS = 10_000;
    public static final String PRECISION = "HdrHistogram, 3 significant digits: percentiles within 0.1 % "
            + "(nginx logs milliseconds)";

    private final List<String> names;
    private final String joinField;
    private final Filters filters;
    private final long windowMillis;
    private final LayerAcc[] layers;
    private final Histogram[] gaps;
    private final long[] matched;
    private final long[] onlyOuter;
    private final long[] onlyInner;
    private final long[] negative;
    private final long[] missingKey;
    private final Histogram[] components;
    private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
    private long complete;
    private long duplicates;
    private long expired;
    private long watermark = Long.MIN_VALUE;
    private long adds;
    private long maxPending;

    public LatencyAnalyzer(List<String> layerNames, String joinField, Filters filters, long joinWindowMillis) {
        if (layerNames.isEmpty() || layerNames.size() > 16) {
            throw new IllegalArgumentException("between 1 and 16 layers, got " + layerNames.size());
        }
        this.names = List.copyOf(layerNames);
        this.joinField = joinField;
        this.filters = filters;
        this.windowMillis = joinWindowMillis;
        int n = names.size();
        layers = new LayerAcc[n];
        for (int i = 0; i < n; i++) {
            layers[i] = new LayerAcc();
        }
        gaps = hist(Math.max(0, n - 1));
        matched = new long[Math.max(0, n - 1)];
        onlyOuter = new long[matched.length];
        onlyInner = new long[matched.length];
        negative = new long[matched.length];
        missingKey = new long[n];
        components = hist(n + 1);
    }

    private static Histogram[] hist(int n) {
        Histogram[] h = new Histogram[n];
        for (int i = 0; i < n; i++) {
            h[i] = new Histogram(HIGHEST_US, 3);
        }
        return h;
    }

    public boolean joining() {
        return joinField != null && names.size() > 1;
    }

    /** Peak number of join entries waiting for their other layers (for the memory bound in the report). */
    public long maxPending() {
        return maxPending;
    }

    /**
     * Adds another analyzer's per-layer counts and histograms (same layers, no join): the parallel run gives
     * each thread its own analyzer and merges them at the end. HdrHistogram addition is exact.
     */
    public void merge(LatencyAnalyzer other) {
        if (joining() || other.joining() || other.names.size() != names.size()) {
            throw new IllegalStateException("only analyzers of the same layers without a join merge");
        }
        for (int i = 0; i < layers.length; i++) {
            layers[i].merge(other.layers[i]);
        }
    }

    public void add(int layer, AccessRecord r) {
        if (filters.accepts(r)) {
            layers[layer].add(r);
        }
        if (joining() && filters.acceptsExceptTime(r)) {
            join(layer, r);
        }
    }

    private void join(int layer, AccessRecord r) {
        String key = r.joinKey();
        if (key == null) {
            missingKey[layer]++;
            return;
        }
        long t = r.epochMillis();
        Pending p = pending.get(key);
        if (p == null) {
            p = new Pending(names.size(), t == Long.MIN_VALUE ? Long.MAX_VALUE : t);
            pending.put(key, p);
            maxPending = Math.max(maxPending, pending.size());
        }
        int bit = 1 << layer;
        if ((p.mask & bit) != 0) {
            duplicates++;
            return;
        }
        p.mask |= bit;
        p.rt[layer] = r.requestMicros();
        p.ut[layer] = r.responseMicros();
        if (p.mask == (1 << names.size()) - 1) {
            pending.remove(key);
            close(p);
        }
        if (t != Long.MIN_VALUE && t > watermark) {
            watermark = t;
        }
        if ((++adds & 4095) == 0) {
            expire();
        }
    }

    /** Closes entries older than the window behind the newest timestamp: their other halves will not come. */
    private void expire() {
        if (watermark == Long.MIN_VALUE || windowMillis <= 0) {
            return;
        }
        Iterator<Pending> it = pending.values().iterator();
        while (it.hasNext()) {
            Pending p = it.next();
            if (p.time >= watermark - windowMillis) {
                break;
            }
            it.remove();
            expired++;
            close(p);
        }
    }

    private void close(Pending p) {
        int n = names.size();
        boolean full = p.mask == (1 << n) - 1;
        int outermost = Integer.numberOfTrailingZeros(p.mask);
        if (filters.minTimeMicros() >= 0 && p.rt[outermost] < filters.minTimeMicros()) {
            return;
        }
        for (int i = 0; i + 1 < n; i++) {
            boolean o = (p.mask & (1 << i)) != 0;
            boolean in = (p.mask & (1 << (i + 1))) != 0;
            if (o && in) {
                if (p.rt[i] >= 0 && p.rt[i + 1] >= 0) {
                    matched[i]++;
                    long gap = p.rt[i] - p.rt[i + 1];
                    if (gap < 0) {
                        negative[i]++;
                        gap = 0;
                    }
                    record(gaps[i], gap);
                }
            } else if (o) {
                onlyOuter[i]++;
            } else if (in) {
                onlyInner[i]++;
            }
        }
        if (full) {
            complete++;
            for (int i = 0; i + 1 < n; i++) {
                record(components[i], Math.max(0, p.rt[i] - p.rt[i + 1]));
            }
            long rt = p.rt[n - 1];
            long ut = p.ut[n - 1];
            if (rt >= 0) {
                record(components[n - 1], ut >= 0 ? Math.max(0, rt - ut) : rt);
                record(components[n], Math.max(0, ut));
            }
        }
    }

    static void record(Histogram h, long us) {
        if (us >= 0) {
            h.recordValue(Math.min(us, HIGHEST_US));
        }
    }

    /** Ends the run: closes every open join entry and summarises. */
    public LatencyAnalysis finish(Buckets b, List<List<LogSource.Stats>> sources) {
        for (Pending p : pending.values()) {
            close(p);
        }
        pending.clear();
        List<String> notes = new ArrayList<>();
        List<LatencyAnalysis.Layer> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            out.add(layers[i].summary(names.get(i), i < sources.size() ? sources.get(i) : List.of(), b));
        }
        LatencyAnalysis.Join join = null;
        if (joinField != null && names.size() < 2) {
            notes.add("--join " + joinField + " needs two or more layers (files or --layer NAME=FILE); nothing to join");
        }
        if (joining()) {
            List<LatencyAnalysis.Hop> hops = new ArrayList<>();
            for (int i = 0; i + 1 < names.size(); i++) {
                hops.add(new LatencyAnalysis.Hop(names.get(i), names.get(i + 1), matched[i], onlyOuter[i], onlyInner[i],
                        negative[i], Distribution.of(gaps[i], b)));
            }
            int n = names.size();
            List<String[]> parts = new ArrayList<>();
            for (int i = 0; i + 1 < n; i++) {
                parts.add(new String[] {names.get(i) + " → " + names.get(i + 1), "gap"});
            }
            parts.add(new String[] {"inside " + names.get(n - 1), "inside"});
            parts.add(new String[] {names.get(n - 1) + " → upstream", "upstream"});
            List<Distribution> ds = new ArrayList<>();
            double total = 0;
            for (int i = 0; i < parts.size(); i++) {
                Distribution d = Distribution.of(components[i], b);
                ds.add(d);
                total += d.tailExcess();
            }
            List<LatencyAnalysis.Component> comps = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                comps.add(new LatencyAnalysis.Component(parts.get(i)[0], parts.get(i)[1], ds.get(i),
                        total > 0 ? ds.get(i).tailExcess() / total : 0));
            }
            List<Long> missing = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                missing.add(missingKey[i]);
                long recs = layers[i].total;
                if (recs > 0 && missingKey[i] == recs) {
                    notes.add("join field '" + joinField + "' missing in every record of layer " + names.get(i)
                            + ": nothing of it can be joined (is the field logged under another name?)");
                } else if (missingKey[i] > 0) {
                    notes.add(missingKey[i] + " record(s) of layer " + names.get(i) + " have no '" + joinField
                            + "' and were not joined");
                }
            }
            join = new LatencyAnalysis.Join(joinField, hops, comps, complete, missing, duplicates, expired, maxPending);
        }
        return new LatencyAnalysis(out, join, b, PRECISION, notes);
    }

    private static final class Pending {
        final long[] rt;
        final long[] ut;
        final long time;
        int mask;

        Pending(int n, long time) {
            rt = new long[n];
            ut = new long[n];
            this.time = time;
        }
    }

    private static final class LayerAcc {
        final Histogram rt = new Histogram(HIGHEST_US, 3);
        final Histogram ct = new Histogram(HIGHEST_US, 3);
        final Histogram ht = new Histogram(HIGHEST_US, 3);
        final Histogram ut = new Histogram(HIGHEST_US, 3);
        final Histogram inside = new Histogram(HIGHEST_US, 3);
        final Map<String, long[]> slow = new HashMap<>();
        private final Map<ByteKey, String> addrs = new HashMap<>();
        private final ByteKey probe = new ByteKey();
        long total;
        long withUpstream;
        long retried;

        void add(AccessRecord r) {
            total++;
            record(rt, r.requestTime);
            record(ct, r.connectTime);
            record(ht, r.headerTime);
            if (r.responseTime >= 0) {
                withUpstream++;
                record(ut, r.responseTime);
                if (r.requestTime >= 0) {
                    record(inside, Math.max(0, r.requestTime - r.responseTime));
                }
            }
            if (r.tries > 1) {
                retried++;
            }
            if (r.connectTime >= SLOW_CONNECT_US) {
                String a = upstreamAddr(r);
                String addr = a == null ? "(none logged)" : slow.size() < MAX_ADDRS || slow.containsKey(a) ? a : "(other)";
                long[] c = slow.computeIfAbsent(addr, k -> new long[2]);
                c[0]++;
                c[1] += r.connectTime;
            }
        }

        /**
         * The upstream address, decoded once per distinct address: slow connects come by the thousand per
         * gigabyte from a handful of upstreams, and a String per record is garbage the size of the input.
         */
        private String upstreamAddr(AccessRecord r) {
            if (!r.hasRawText(AccessRecord.ADDR)) {
                return r.upstreamAddr();
            }
            String a = addrs.get(r.rawKey(AccessRecord.ADDR, probe));
            if (a == null) {
                a = r.upstreamAddr();
                if (a != null && addrs.size() < MAX_ADDRS) {
                    addrs.put(probe.compact(), a);
                }
            }
            return a;
        }

        void merge(LayerAcc o) {
            total += o.total;
            withUpstream += o.withUpstream;
            retried += o.retried;
            rt.add(o.rt);
            ct.add(o.ct);
            ht.add(o.ht);
            ut.add(o.ut);
            inside.add(o.inside);
            o.slow.forEach((addr, c) -> {
                String key = slow.size() < MAX_ADDRS || slow.containsKey(addr) ? addr : "(other)";
                long[] mine = slow.computeIfAbsent(key, k -> new long[2]);
                mine[0] += c[0];
                mine[1] += c[1];
            });
        }

        LatencyAnalysis.Layer summary(String name, List<LogSource.Stats> sources, Buckets b) {
            List<LatencyAnalysis.Upstream> ups = slow.entrySet().stream()
                    .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[0]).reversed()
                            .thenComparing(Map.Entry::getKey))
                    .limit(10)
                    .map(e -> new LatencyAnalysis.Upstream(e.getKey(), e.getValue()[0], e.getValue()[1] / 1e6 / e.getValue()[0]))
                    .toList();
            return new LatencyAnalysis.Layer(name, List.copyOf(sources), total, withUpstream, retried,
                    Distribution.of(rt, b), Distribution.of(ct, b), Distribution.of(ht, b), Distribution.of(ut, b),
                    Distribution.of(inside, b), ups);
        }
    }
}
