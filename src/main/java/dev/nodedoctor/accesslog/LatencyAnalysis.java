package dev.nodedoctor.accesslog;

import java.util.List;

/**
 * What {@code nodedoctor latency} found: per layer (a proxy tier, one or more log files), the distribution of
 * each nginx timing; with {@code --join}, the per-request gaps between adjacent layers and how much of the
 * tail each part of the request path adds. Layers are ordered outermost first.
 */
public record LatencyAnalysis(List<Layer> layers, Join join, Buckets buckets, String precision, List<String> notes) {

    public LatencyAnalysis {
        layers = List.copyOf(layers);
        notes = List.copyOf(notes);
    }

    /**
     * @param records      records that passed the filters
     * @param withUpstream of those, how many went to an upstream
     * @param retried      how many had more than one upstream attempt (tries or internal redirects)
     * @param inside       request_time − upstream_response_time: time spent in this layer itself and with the client
     * @param slowConnects upstream addresses of requests whose connect took ≥ 0.9 s, most first
     */
    public record Layer(String name, List<LogSource.Stats> sources, long records, long withUpstream, long retried,
                        Distribution requestTime, Distribution connect, Distribution header, Distribution response,
                        Distribution inside, List<Upstream> slowConnects) {
        public long badLines() {
            return sources.stream().mapToLong(LogSource.Stats::bad).sum();
        }
    }

    public record Upstream(String addr, long slowConnects, double meanConnect) {
    }

    /**
     * @param complete    requests seen in every layer
     * @param missingKey  per layer: records without the join field
     * @param duplicates  records whose key a layer had already shown (the first one is kept)
     * @param components  the parts the outermost request_time splits into, each with its tail excess
     * @param expired     requests closed as unmatched because the join window passed
     * @param maxPending  the most requests ever waiting for their other layers: what the join held in memory
     */
    public record Join(String field, List<Hop> hops, List<Component> components, long complete, List<Long> missingKey,
                       long duplicates, long expired, long maxPending) {
    }

    /**
     * @param gap       outer request_time − inner request_time per matched request
     * @param onlyOuter requests the outer layer logged and the inner did not (and the other way round)
     * @param negative  gaps below zero (rounding to ms in each log), counted as 0
     */
    public record Hop(String outer, String inner, long matched, long onlyOuter, long onlyInner, long negative,
                      Distribution gap) {
    }

    /** @param share of the summed tail excess of all components (0..1) */
    public record Component(String name, String kind, Distribution values, double share) {
    }
}
