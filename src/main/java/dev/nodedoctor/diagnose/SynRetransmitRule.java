package dev.nodedoctor.diagnose;

import dev.nodedoctor.probe.TcpCounters;
import dev.nodedoctor.probe.TcpProbeReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code tcp.syn-retransmit}: connects wait for SYN retransmits, so they take ≈ 1 s, 2 s, 3 s (or 1, 3, 7 s on
 * older kernels) instead of a round trip. Fed by `nodedoctor probe tcp` (each connect classified by its time)
 * and, in `diagnose`, by the TCP counters of /proc/net/netstat and /proc/net/snmp over the window.
 */
public final class SynRetransmitRule extends ConfiguredRule {
    public static final String ID = "tcp.syn-retransmit";
    public static final Threshold SHARE = new Threshold("tcp.syn-retransmit.share", 0.01,
            "share (0..1) of connects that needed a SYN retry (probe), or SYN retransmits per connect started "
                    + "(counters)",
            "nodedoctor: each retry adds at least the 1 s initial retransmission timeout (RFC 6298), so once "
                    + "1 % of connects retry, the p99 connect time is over 1 s");
    public static final Threshold CRITICAL_SHARE = new Threshold("tcp.syn-retransmit.critical-share", 0.10,
            "share (0..1) for a critical finding", "nodedoctor: one connect in ten waits a second or more");
    public static final Threshold MIN_COUNT = new Threshold("tcp.syn-retransmit.min-count", 3,
            "SYN retries (connects with retries for the probe; TCPSynRetrans or ListenDrops for counters) needed "
                    + "before judging",
            "nodedoctor: one or two lost SYNs in a short window are noise");


    public SynRetransmitRule(Thresholds thresholds) {
        super(ID, thresholds);
    }


    @Override
    public List<Finding> evaluate(Observations obs) {
        return obs.tcp().get().flatMap(this::fromCounters).map(List::of).orElse(List.of());
    }

    /** The finding for a `probe tcp` run: the share of connects in each SYN-retry mode. */
    public Optional<Finding> fromProbe(TcpProbeReport r) {
        int withRetries = 0;
        for (TcpProbeReport.Mode m : r.modes()) {
            withRetries += m.retries() > 0 ? m.count() : 0;
        }
        withRetries += r.timedOut();
        double share = r.retransmitShare();
        if (withRetries < value(MIN_COUNT) || share < value(SHARE)) {
            return Optional.empty();
        }
        String source = "probe tcp";
        List<Evidence> ev = new ArrayList<>();
        ev.add(Evidence.of("connects with ≥ 1 SYN retry", 100 * share, "%", source));
        ev.add(Evidence.of("connects judged", r.judged(), "", source));
        for (TcpProbeReport.Mode m : r.modes()) {
            ev.add(Evidence.of("mode " + m.mode(), 100 * m.share(), String.format(Locale.ROOT, "%% (%d, median %s ms)",
                    m.count(), Evidence.format(m.medianMillis())), source));
        }
        if (r.timedOut() > 0) {
            ev.add(Evidence.of("timed out", r.timedOut(), "connects", source));
        }
        ev.add(Evidence.of("net.ipv4.tcp_syn_linear_timeouts", r.linearTimeouts(), "", "/proc/sys/net/ipv4/tcp_syn_linear_timeouts"));
        TcpCounters c = r.counters();
        if (c != null && c.synRetrans() >= 0) {
            ev.add(Evidence.of("TCPSynRetrans during the probe", c.synRetrans(),
                    "(modes imply ≥ " + r.retriesSeen() + ")", TcpCounters.NETSTAT));
        }
        String title = String.format(Locale.ROOT,
                "%.0f %% of connects to %s waited for SYN retransmits (%s)", 100 * share, r.target(), modeSummary(r));
        Severity sev = share >= value(CRITICAL_SHARE) ? Severity.CRITICAL : Severity.WARNING;
        return Optional.of(finding(sev, "tcp " + r.target() + " (" + r.address() + ")", title, ev, share));
    }

    /** The finding from counters alone (diagnose): this node's connects retried SYNs, or its listeners dropped them. */
    public Optional<Finding> fromCounters(TcpCounters c) {
        double min = value(MIN_COUNT);
        boolean retrans = c.synRetrans() >= min
                && (double) c.synRetrans() / Math.max(1, c.activeOpens()) >= value(SHARE);
        boolean drops = c.listenDrops() >= min;
        if (!retrans && !drops) {
            return Optional.empty();
        }
        double perConnect = c.synRetrans() < 0 ? 0 : (double) c.synRetrans() / Math.max(1, c.activeOpens());
        List<Evidence> ev = new ArrayList<>();
        ev.add(Evidence.of("TCPSynRetrans", c.perSecond(c.synRetrans()), "/s", TcpCounters.NETSTAT));
        ev.add(Evidence.of("ActiveOpens (connects started)", c.perSecond(c.activeOpens()), "/s", TcpCounters.SNMP));
        ev.add(Evidence.of("SYN retransmits per connect", perConnect, "", TcpCounters.NETSTAT));
        ev.add(Evidence.of("ListenOverflows", c.perSecond(c.listenOverflows()), "/s", TcpCounters.NETSTAT));
        ev.add(Evidence.of("ListenDrops", c.perSecond(c.listenDrops()), "/s", TcpCounters.NETSTAT));
        ev.add(Evidence.of("RetransSegs", c.perSecond(c.retransSegs()), "/s", TcpCounters.SNMP));
        if (c.outSegs() > 0 && c.retransSegs() >= 0) {
            ev.add(Evidence.of("retransmitted share of segments sent", 100.0 * c.retransSegs() / c.outSegs(), "%",
                    TcpCounters.SNMP));
        }
        String title = retrans
                ? String.format(Locale.ROOT, "This node resent %d SYNs in %.1f s (%.2f per connect): its connects wait ≥ 1 s",
                c.synRetrans(), c.seconds(), perConnect)
                : String.format(Locale.ROOT, "Listeners on this node dropped %d incoming SYNs/ACKs in %.1f s: their clients wait ≥ 1 s",
                c.listenDrops(), c.seconds());
        Severity sev = retrans && perConnect >= value(CRITICAL_SHARE) ? Severity.CRITICAL : Severity.WARNING;
        return Optional.of(finding(sev, Subjects.HOST + " network namespace", title, ev, retrans ? perConnect : 0.01));
    }

    private static String modeSummary(TcpProbeReport r) {
        List<String> parts = new ArrayList<>();
        for (TcpProbeReport.Mode m : r.modes()) {
            if (m.retries() != 0) {
                parts.add(String.format(Locale.ROOT, "%s: %.0f %%", m.mode(), 100 * m.share()));
            }
        }
        return parts.isEmpty() ? "all timed out" : String.join(", ", parts);
    }

    private static Finding finding(Severity sev, String subject, String title, List<Evidence> ev, double score) {
        return new Finding(ID, sev, subject, title, ev,
                "A client sends a SYN and waits for the SYN-ACK. If either is lost, it sends the SYN again only after "
                        + "the initial retransmission timeout of 1 s, then after 1 s steps (Linux 6.x, "
                        + "net.ipv4.tcp_syn_linear_timeouts) or doubling steps (1, 3, 7 s on older kernels). So a "
                        + "little packet loss turns a sub-millisecond connect into one of 1, 2 or 3 seconds, and "
                        + "latency histograms grow humps at those values. The SYN is lost on the path (a firewall, "
                        + "conntrack table full, a lossy link) or dropped by the server: its listen queue is full "
                        + "(ListenOverflows/ListenDrops on the server) because the process does not accept fast "
                        + "enough, often because it was not scheduled (kernel.hiccup).",
                "On the server, read `nstat -az TcpExtListenOverflows TcpExtListenDrops`: if they grow, raise the "
                        + "listen backlog (the application's backlog and net.core.somaxconn) and find why the "
                        + "accepting thread is late (CPU throttling, stalls: kernel.hiccup; if those stalls are "
                        + "periodic, find the periodic reader that causes them). If not, look for loss on the path: "
                        + "`conntrack -S` (insert_failed, drop), `dmesg` for 'nf_conntrack: table full', firewall "
                        + "drop counters, NIC errors (`ip -s link`). As a stop-gap, clients can use a connect "
                        + "timeout below 1 s and retry at once.",
                List.of("https://www.rfc-editor.org/rfc/rfc6298", "https://docs.kernel.org/networking/ip-sysctl.html",
                        "https://docs.kernel.org/networking/snmp_counter.html"),
                List.of(), score);
    }
}
