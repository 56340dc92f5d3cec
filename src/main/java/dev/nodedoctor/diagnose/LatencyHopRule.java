package dev.nodedoctor.diagnose;

import dev.nodedoctor.accesslog.LatencyAnalysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code latency.hop}: which part of the path adds most of the tail. Each joined request's outermost
 * request_time splits exactly into the gaps between adjacent layers, the time inside the innermost layer, and
 * the innermost layer's upstream time. For each part, the time above its own median, summed over requests,
 * is its tail excess; the shares of the summed excess say where the slow requests lose their time.
 */
public final class LatencyHopRule extends ConfiguredRule {
    public static final String ID = "latency.hop";
    public static final Threshold P99 = new Threshold("latency.hop.p99-seconds", 0.5,
            "p99 of the outermost layer's request_time (s) from which the tail is broken down",
            "nodedoctor: below half a second the tail is rarely worth a hunt through proxies");
    public static final Threshold MIN_JOINED = new Threshold("latency.hop.min-joined", 20,
            "requests joined across all layers needed",
            "nodedoctor: fewer give shares that are noise");


    public LatencyHopRule(Thresholds thresholds) {
        super(ID, thresholds);
    }


    @Override
    public List<Finding> evaluate(Observations obs) {
        LatencyAnalysis a = obs.latency().get().orElse(null);
        if (a == null || a.join() == null || a.join().complete() < value(MIN_JOINED)) {
            return List.of();
        }
        double p99 = a.layers().get(0).requestTime().p99();
        if (p99 < value(P99)) {
            return List.of();
        }
        List<LatencyAnalysis.Component> parts = new ArrayList<>(a.join().components());
        parts.sort(Comparator.comparingDouble(LatencyAnalysis.Component::share).reversed());
        LatencyAnalysis.Component top = parts.get(0);
        if (top.share() <= 0) {
            return List.of();
        }
        String source = "joined on " + a.join().field();
        List<Evidence> ev = new ArrayList<>();
        ev.add(Evidence.of("requests joined across all layers", a.join().complete(), "", source));
        ev.add(Evidence.of(a.layers().get(0).name() + " request_time p99", p99, "s",
                String.join(", ", a.layers().get(0).sources().stream().map(s -> s.name()).toList())));
        for (LatencyAnalysis.Component c : parts) {
            ev.add(new Evidence(c.name() + " share of the tail", String.format(Locale.ROOT, "%.0f", 100 * c.share()),
                    100 * c.share(), String.format(Locale.ROOT, "%% (p50 %.3f s, p99 %.3f s, max %.3f s)",
                    c.values().p50(), c.values().p99(), c.values().max()), source));
        }
        for (LatencyAnalysis.Hop h : a.join().hops()) {
            ev.add(Evidence.text("unmatched " + h.outer() + " → " + h.inner(), h.onlyOuter() + " only in " + h.outer()
                    + ", " + h.onlyInner() + " only in " + h.inner(), source));
        }
        StringBuilder title = new StringBuilder(fraction(top.share()) + " of the tail is " + top.name());
        if (parts.size() > 1 && parts.get(1).share() >= 0.1) {
            title.append(", ").append(fraction(parts.get(1).share())).append(" is ").append(parts.get(1).name());
        }
        String fix = switch (top.kind()) {
            case "gap" -> "The time is lost between " + top.name().replace(" → ", " and ") + ": in the outer proxy "
                    + "itself, on the network, or connecting to the inner one. Look at the outer layer's "
                    + "upstream_connect_time (a ~1 s mode is SYN retransmits: see latency.connect-mode), its "
                    + "upstream keepalive, and CPU/throttling of the proxy pods (`nodedoctor diagnose`).";
            case "inside" -> "The innermost proxy spends the time itself or with the client: request/response "
                    + "buffering, slow clients, CPU. Check its CPU and throttling (`nodedoctor diagnose`, `top`).";
            default -> "The time is spent in or connecting to the upstream. If upstream_connect_time shows a "
                    + "~1 s mode it is SYN retransmits (latency.connect-mode); otherwise the application is slow "
                    + "(latency.upstream): profile it.";
        };
        return List.of(new Finding(ID, Severity.WARNING, "path " + String.join(" → ",
                a.layers().stream().map(LatencyAnalysis.Layer::name).toList()) + " → upstream",
                title.toString(), ev,
                "Each joined request's outermost request_time is split into the gap between each pair of adjacent "
                        + "layers (outer request_time − inner request_time), the time inside the innermost layer "
                        + "(request_time − upstream_response_time) and its upstream time. For each part nodedoctor "
                        + "sums the time above that part's own median over all requests: that is what the part "
                        + "adds to the slow requests. The largest share is where to look.",
                fix, List.of("https://nginx.org/en/docs/http/ngx_http_upstream_module.html#variables"), List.of(),
                top.share()));
    }

    /** "2/3", "1/2", "1/3" when close to them, otherwise a percentage. */
    static String fraction(double share) {
        double[][] known = {{1, 1}, {3, 4}, {2, 3}, {1, 2}, {1, 3}, {1, 4}};
        for (double[] k : known) {
            if (Math.abs(share - k[0] / k[1]) < 0.03) {
                return k[1] == 1 ? "all" : String.format(Locale.ROOT, "%.0f/%.0f", k[0], k[1]);
            }
        }
        return String.format(Locale.ROOT, "%.0f %%", 100 * share);
    }
}
