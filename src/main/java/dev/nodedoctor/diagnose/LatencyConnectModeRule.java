package dev.nodedoctor.diagnose;

import dev.nodedoctor.accesslog.Distribution;
import dev.nodedoctor.accesslog.LatencyAnalysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code latency.connect-mode}: requests pile up near 1 s (and 2, 3 s, or 3, 7 s) in upstream_connect_time or
 * in the gap between two proxy layers. Those are the kernel's SYN retransmission timers: the first SYN (or
 * its SYN-ACK) was lost, and the client kernel sent it again after 1 s. Newer kernels first retry at linear
 * 1 s steps ({@code net.ipv4.tcp_syn_linear_timeouts}), older ones double: 1, 3, 7 s after the first SYN.
 */
public final class LatencyConnectModeRule extends ConfiguredRule {
    public static final String ID = "latency.connect-mode";
    public static final Threshold SHARE = new Threshold("latency.connect-mode.share", 0.02,
            "share of requests (0..1) in the SYN-retransmit modes (≈1, 2, 3, 7 s) of a series",
            "nodedoctor: a healthy network loses well under 1 % of SYNs; 2 % of requests stuck a second is what users notice");
    public static final Threshold MIN_REQUESTS = new Threshold("latency.connect-mode.min-requests", 5,
            "requests needed in the ≈1 s mode before it counts",
            "nodedoctor: fewer are anecdotes, not a mode");
    /** Retransmit times after the first SYN: linear (1, 2, 3, 4, 5 s) and exponential (1, 3, 7 s) back-off. */
    static final double[] MODES = {1, 2, 3, 4, 5, 7};


    public LatencyConnectModeRule(Thresholds thresholds) {
        super(ID, thresholds);
    }


    /** One mode: its centre, the requests in it and in the valley just below it. */
    record Mode(double at, long count, long valley) {
    }

    /** The modes of a series; empty unless the ≈1 s one stands out from its valley. */
    static List<Mode> modes(Distribution d, double minRequests) {
        List<Mode> out = new ArrayList<>();
        for (double m : MODES) {
            long in = d.countBetween(m - 0.05, m + 0.3);
            long valley = d.countBetween(m - 0.5, m - 0.05);
            if (in >= minRequests && in >= 3 * valley) {
                out.add(new Mode(m, in, valley));
            } else if (m == 1) {
                return List.of();
            }
        }
        return out;
    }

    @Override
    public List<Finding> evaluate(Observations obs) {
        LatencyAnalysis a = obs.latency().get().orElse(null);
        if (a == null) {
            return List.of();
        }
        List<Finding> out = new ArrayList<>();
        for (LatencyAnalysis.Layer l : a.layers()) {
            check("layer " + l.name(), "upstream_connect_time at " + l.name(), "upstream_connect_time", l.connect(),
                    l.slowConnects(), sourceOf(l), out);
        }
        if (a.join() != null) {
            for (LatencyAnalysis.Hop h : a.join().hops()) {
                check("hop " + h.outer() + " → " + h.inner(), "the gap " + h.outer() + " → " + h.inner()
                        + " (outer request_time − inner request_time)", "gap", h.gap(), List.of(),
                        "joined on " + a.join().field(), out);
            }
        }
        return out;
    }

    private static String sourceOf(LatencyAnalysis.Layer l) {
        return String.join(", ", l.sources().stream().map(s -> s.name()).toList());
    }

    private void check(String subject, String series, String label, Distribution d, List<LatencyAnalysis.Upstream> upstreams,
                       String source, List<Finding> out) {
        if (d.count() == 0) {
            return;
        }
        List<Mode> modes = modes(d, value(MIN_REQUESTS));
        long inModes = modes.stream().mapToLong(Mode::count).sum();
        double share = (double) inModes / d.count();
        if (modes.isEmpty() || share < value(SHARE)) {
            return;
        }
        List<Evidence> ev = new ArrayList<>();
        ev.add(Evidence.of("requests", d.count(), "", source));
        for (Mode m : modes) {
            ev.add(Evidence.of(String.format(Locale.ROOT, "near %.0f s", m.at()), m.count(),
                    String.format(Locale.ROOT, "requests (%.1f %%; %d in the %.1f–%.2f s valley below)",
                            100.0 * m.count() / d.count(), m.valley(), m.at() - 0.5, m.at() - 0.05), source));
        }
        ev.add(Evidence.of(label + " p50", d.p50(), "s", source));
        ev.add(Evidence.of(label + " p99", d.p99(), "s", source));
        for (LatencyAnalysis.Upstream u : upstreams.subList(0, Math.min(5, upstreams.size()))) {
            ev.add(Evidence.of("slow connects (≥ 0.9 s) to " + u.addr(), u.slowConnects(),
                    String.format(Locale.ROOT, "requests, mean %.2f s", u.meanConnect()), source));
        }
        String modeList = String.join(", ", modes.stream().map(m -> String.format(Locale.ROOT, "%.0f s", m.at())).toList());
        String title = String.format(Locale.ROOT, "%.0f %% of requests waited ~%s in %s: TCP SYN retransmits",
                100 * share, modeList, series);
        out.add(new Finding(ID, share >= 0.10 ? Severity.CRITICAL : Severity.WARNING, subject, title, ev,
                "A TCP connect that loses its SYN (or the SYN-ACK) waits for the kernel's retransmission timer: "
                        + "1 s for the first retry, then linear 1 s steps on kernels with "
                        + "net.ipv4.tcp_syn_linear_timeouts (6.x) or doubling (1, 3, 7 s after the first SYN) on older "
                        + "ones. Requests piling up at those exact times, with a valley just below, are lost "
                        + "connection attempts, not a slow application. Usual causes: a full SYN or accept queue "
                        + "on the upstream (listen overflows), conntrack table full or insert failures on a node on "
                        + "the path, a source-port collision with a TIME_WAIT/NAT entry, or packet loss on the link.",
                "Measure connects from this node to the upstreams named here: `nodedoctor probe tcp HOST:PORT`. "
                        + "On the upstream: `nstat -az TcpExtListenOverflows TcpExtListenDrops` (accept queue full: "
                        + "raise the backlog and net.core.somaxconn, add workers). On the client and every node in "
                        + "between: `nstat -az TcpExtTCPSynRetrans`, `conntrack -S` (insert_failed, drop) and "
                        + "`dmesg | grep conntrack` (table full: raise net.netfilter.nf_conntrack_max). Keep upstream "
                        + "connections alive (proxy keepalive) so fewer connects are made at all.",
                List.of("https://www.rfc-editor.org/rfc/rfc6298 (initial RTO 1 s)",
                        "https://docs.kernel.org/networking/ip-sysctl.html (tcp_syn_retries, tcp_syn_linear_timeouts)"),
                List.of(), share));
    }
}
