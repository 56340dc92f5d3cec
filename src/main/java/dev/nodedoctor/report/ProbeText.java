package dev.nodedoctor.report;

import dev.nodedoctor.diagnose.Finding;
import dev.nodedoctor.probe.HiccupReport;
import dev.nodedoctor.probe.TcpCounters;
import dev.nodedoctor.probe.TcpProbeReport;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** The terminal output of `nodedoctor probe`: the measurement, then the finding it led to (if any). */
public final class ProbeText {
    private ProbeText() {
    }

    public static void hiccup(HiccupReport r, List<Finding> findings, PrintWriter out) {
        out.printf(Locale.ROOT, "hiccup meter: %.1f s, sleeping %d µs each time, %d wake-ups%n", r.seconds(),
                r.intervalMicros(), r.wakeups());
        out.printf(Locale.ROOT, "wake-up delay (ms): p50 %s  p99 %s  p99.9 %s  max %s%n", ms(r.p50Micros()),
                ms(r.p99Micros()), ms(r.p999Micros()), ms(r.maxMicros()));
        if (!r.worst().isEmpty()) {
            out.println("worst stalls (end time, delay):");
            for (HiccupReport.Stall s : r.worst()) {
                out.printf(Locale.ROOT, "  %s  %s ms%n", s.at(), ms(s.micros()));
            }
        }
        out.printf(Locale.ROOT, "meter cost: %s of one core; this JVM's GC during the window: %d ms%n",
                r.meterCpuPercent() < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f %%", r.meterCpuPercent()),
                r.gcMillis());
        out.println();
        findings(findings, "No finding: no wake-up was late enough to matter (see `nodedoctor explain kernel.hiccup`).", out);
    }

    public static void tcp(TcpProbeReport r, List<Finding> findings, PrintWriter out) {
        out.printf("probe tcp %s (%s): %d connects: %d connected, %d refused, %d timed out, %d failed%n",
                r.target(), r.address(), r.attempts(), r.connected(), r.refused(), r.timedOut(), r.failed());
        TcpProbeReport.Latency l = r.latency();
        if (l != null) {
            out.printf(Locale.ROOT, "connect time (ms): min %.2f  p50 %.2f  p90 %.1f  p99 %.1f  max %.1f%n",
                    l.min(), l.p50(), l.p90(), l.p99(), l.max());
        }
        if (!r.modes().isEmpty()) {
            out.printf("SYN-retry modes (net.ipv4.tcp_syn_linear_timeouts = %d%s):%n", r.linearTimeouts(),
                    r.linearTimeouts() == 0 ? ", exponential back-off" : "");
            for (TcpProbeReport.Mode m : r.modes()) {
                out.printf(Locale.ROOT, "  %s %5d  %5.1f %%  median %.1f ms%n", Text.pad(m.mode(), 20), m.count(),
                        100 * m.share(), m.medianMillis());
            }
            out.printf(Locale.ROOT, "connects with at least one SYN retry: %.1f %% (timed-out connects included)%n",
                    100 * r.retransmitShare());
        }
        TcpCounters c = r.counters();
        if (c != null) {
            out.printf("counters of this network namespace during the probe: TCPSynRetrans %s, ListenOverflows %s, "
                            + "ListenDrops %s, RetransSegs %s%n", count(c.synRetrans()), count(c.listenOverflows()),
                    count(c.listenDrops()), count(c.retransSegs()));
        }
        for (TcpProbeReport.ErrorCount e : r.errors()) {
            out.printf("error: %s (%d×)%n", e.error(), e.count());
        }
        out.println();
        findings(findings, "No finding: no SYN-retransmit modes in these connects.", out);
    }

    private static void findings(List<Finding> findings, String none, PrintWriter out) {
        if (findings.isEmpty()) {
            out.println(none);
        }
        for (int i = 0; i < findings.size(); i++) {
            FindingsReport.print(i + 1, findings.get(i), out);
        }
        out.flush();
    }

    private static String count(long v) {
        return v < 0 ? "n/a" : String.valueOf(v);
    }

    private static String ms(long micros) {
        return dev.nodedoctor.diagnose.Evidence.format(micros / 1000.0);
    }
}
