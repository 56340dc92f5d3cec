package dev.nodedoctor.diagnose;

import dev.nodedoctor.accesslog.Distribution;
import dev.nodedoctor.accesslog.LatencyAnalysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code latency.upstream}: the application behind the innermost proxy is slow: its time to the first byte
 * (upstream_header_time, or upstream_response_time where the header time is not logged) has a long tail
 * while connecting is quick.
 */
public final class LatencyUpstreamRule extends ConfiguredRule {
    public static final String ID = "latency.upstream";
    public static final Threshold P99 = new Threshold("latency.upstream.p99-seconds", 1.0,
            "p99 of the innermost layer's upstream header (or response) time, seconds",
            "nodedoctor: a second at p99 is ten of the 0.1 s buckets engineers read these histograms in");
    public static final Threshold MIN_REQUESTS = new Threshold("latency.upstream.min-requests", 20,
            "upstream requests needed", "nodedoctor: fewer give a p99 that is one request");


    public LatencyUpstreamRule(Thresholds thresholds) {
        super(ID, thresholds);
    }


    @Override
    public List<Finding> evaluate(Observations obs) {
        LatencyAnalysis a = obs.latency().get().orElse(null);
        if (a == null || a.layers().isEmpty()) {
            return List.of();
        }
        LatencyAnalysis.Layer l = a.layers().get(a.layers().size() - 1);
        boolean header = l.header().count() > 0;
        Distribution d = header ? l.header() : l.response();
        if (d.count() < value(MIN_REQUESTS) || d.p99() < value(P99)) {
            return List.of();
        }
        Distribution c = l.connect();
        if (c.count() > 0 && c.p99() >= 0.5 * d.p99()) {
            return List.of(); // connecting is the slow part: latency.connect-mode tells that story
        }
        String field = header ? "upstream_header_time" : "upstream_response_time";
        String source = String.join(", ", l.sources().stream().map(s -> s.name()).toList());
        List<Evidence> ev = new ArrayList<>();
        ev.add(Evidence.of("upstream requests", d.count(), "", source));
        ev.add(Evidence.of(field + " p50", d.p50(), "s", source));
        ev.add(Evidence.of(field + " p90", d.p90(), "s", source));
        ev.add(Evidence.of(field + " p99", d.p99(), "s", source));
        ev.add(Evidence.of(field + " max", d.max(), "s", source));
        if (c.count() > 0) {
            ev.add(Evidence.of("upstream_connect_time p99", c.p99(), "s", source));
        }
        if (header && l.response().count() > 0) {
            ev.add(Evidence.of("upstream_response_time p99", l.response().p99(), "s", source));
        }
        String title = String.format(Locale.ROOT, "The upstream behind %s is slow: %s p99 %.2f s, p50 %.3f s%s",
                l.name(), field, d.p99(), d.p50(),
                c.count() > 0 ? String.format(Locale.ROOT, " (connect p99 %.3f s)", c.p99()) : "");
        return List.of(new Finding(ID, d.p99() >= 3 * value(P99) ? Severity.CRITICAL : Severity.WARNING,
                "upstream of " + l.name(), title, ev,
                "upstream_header_time runs from the start of the connect to the first byte of the response "
                        + "header; with a quick connect, the rest is the application computing its answer (or "
                        + "queueing for a worker). The proxies are not where the time goes.",
                "Profile the application for the slow requests (`--path` narrows them down): its own latency "
                        + "metrics, worker-pool saturation (uwsgi/gunicorn listen queue), database calls, and CPU "
                        + "throttling of its pods (`nodedoctor diagnose`, `nodedoctor top`).",
                List.of("https://nginx.org/en/docs/http/ngx_http_upstream_module.html#var_upstream_header_time"),
                List.of(), d.p99()));
    }
}
