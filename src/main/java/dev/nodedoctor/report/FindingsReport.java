package dev.nodedoctor.report;

import dev.nodedoctor.diagnose.CausalLinks;
import dev.nodedoctor.diagnose.Evidence;
import dev.nodedoctor.diagnose.Finding;
import dev.nodedoctor.diagnose.Investigation;
import dev.nodedoctor.sample.HostDelta;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** The terminal report of a `diagnose` run: a one-line host summary, the findings ranked, then notes. */
public final class FindingsReport {
    private FindingsReport() {
    }

    public static void print(Investigation.Result result, PrintWriter out) {
        HostDelta h = result.delta().host();
        if (h != null && !result.rates()) {
            out.printf("host: %d CPUs (one moment: no rates)%n", h.cpus());
        } else if (h != null) {
            out.printf(Locale.ROOT, "host: %d CPUs, %.0f%% busy (us %.0f, sy %.0f, wa %.0f, si %.0f, st %.0f) over %.1f s%s%n",
                    h.cpus(), h.all().busy(), h.all().user() + h.all().nice(), h.all().system(), h.all().iowait(),
                    h.all().softirq(), h.all().steal(), result.delta().seconds(),
                    h.load() == null ? "" : String.format(Locale.ROOT, ", load %.2f", h.load().one()));
        }
        out.printf("cgroups: %s; %d processes, %d cgroups sampled%n", result.observations().layout().describe(),
                result.delta().processes().size(), result.delta().cgroups().size());
        probes(result, out);
        out.println();
        List<Finding> findings = result.diagnosis().findings();
        if (findings.isEmpty()) {
            out.println("No findings: nothing matched a known CPU problem in this window.");
        }
        List<List<String>> chains = CausalLinks.chains(findings);
        for (List<String> chain : chains) {
            out.println("chain (root cause first): " + String.join(" → ", chain));
        }
        if (!chains.isEmpty()) {
            out.println();
        }
        for (int i = 0; i < findings.size(); i++) {
            print(i + 1, findings.get(i), out);
        }
        out.printf(Locale.ROOT, "nodedoctor itself: %d ms CPU since start (JVM start-up included), RSS %s%n",
                result.self().cpu().toMillis(),
                result.self().rssKib() < 0 ? "unknown" : (result.self().rssKib() / 1024) + " MiB");
        if (!result.notes().isEmpty()) {
            out.println("Could not look at everything:");
            for (String n : result.notes()) {
                for (String line : Text.wrap("- " + n, Text.WIDTH)) {
                    out.println("  " + line);
                }
            }
        }
        out.flush();
    }

    public static void print(int n, Finding f, PrintWriter out) {
        out.printf("%d. %s %s  %s%n", n, f.severity(), f.id(), f.subject());
        for (String line : Text.wrap(f.title(), Text.WIDTH - 3)) {
            out.println("   " + line);
        }
        // Kubernetes cgroup paths are ~150 characters: name the path once as a shell variable, so every
        // source stays copy-pasteable (`CG=...; cat /sys/fs/cgroup/cpu$CG/cpu.stat`) and the table readable.
        String cg = f.subject().startsWith("cgroup /") && f.subject().length() > 40 ? f.subject().substring(7) : null;
        out.println(cg == null ? "   evidence:" : "   evidence (CG=" + cg + "):");
        int nameWidth = 0;
        int valueWidth = 0;
        for (Evidence e : f.evidence()) {
            nameWidth = Math.max(nameWidth, e.name().length());
            valueWidth = Math.max(valueWidth, Math.min(24, valueWithUnit(e).length()));
        }
        for (Evidence e : f.evidence()) {
            String source = cg == null ? e.source() : e.source().replace(cg + "/", "$CG/");
            String line = "     " + Text.pad(e.name(), nameWidth) + "  " + Text.pad(valueWithUnit(e), valueWidth);
            if (line.length() + 2 + source.length() <= Text.WIDTH) {
                out.println(line + "  " + source);
            } else {
                out.println(line.stripTrailing());
                out.println("       from " + source);
            }
        }
        paragraph("why", f.why(), out);
        paragraph("fix", f.fix(), out);
        if (!f.causes().isEmpty()) {
            out.println("   caused by: " + String.join(", ", f.causes()));
        }
        out.println("   more: nodedoctor explain " + f.id());
        out.println();
    }

    /** One line each for the hiccup meter and the TCP counters, when they were gathered. */
    private static void probes(Investigation.Result result, PrintWriter out) {
        result.observations().hiccup().get().ifPresent(h -> out.printf(Locale.ROOT,
                "hiccups: %d wake-ups of %d ms sleeps, delay p99 %s ms, p99.9 %s ms, max %s ms%n", h.wakeups(),
                h.intervalMicros() / 1000, Evidence.format(h.p99Micros() / 1000.0),
                Evidence.format(h.p999Micros() / 1000.0), Evidence.format(h.maxMicros() / 1000.0)));
        result.observations().tcp().get().ifPresent(c -> out.printf(Locale.ROOT,
                "tcp: SYN retransmits %s/s (connects started %s/s), ListenOverflows %s/s, ListenDrops %s/s, "
                        + "RetransSegs %s/s%n", rate(c, c.synRetrans()), rate(c, c.activeOpens()),
                rate(c, c.listenOverflows()), rate(c, c.listenDrops()), rate(c, c.retransSegs())));
    }

    private static String rate(dev.nodedoctor.probe.TcpCounters c, long change) {
        return change < 0 ? "n/a" : Evidence.format(c.perSecond(change));
    }

    private static String valueWithUnit(Evidence e) {
        return e.unit() == null || e.unit().isEmpty() ? e.value() : e.value() + " " + e.unit();
    }

    private static void paragraph(String label, String text, PrintWriter out) {
        List<String> lines = Text.wrap(text, Text.WIDTH - 8);
        for (int i = 0; i < lines.size(); i++) {
            out.println((i == 0 ? "   " + label + ": " : "        ") + lines.get(i));
        }
    }
}
