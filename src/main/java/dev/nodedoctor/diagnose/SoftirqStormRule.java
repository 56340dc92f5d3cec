package dev.nodedoctor.diagnose;

import dev.nodedoctor.host.Softirqs;
import dev.nodedoctor.sample.Delta;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code cpu.softirq-storm}: one softirq type (NET_RX, TIMER, BLOCK, ...) runs at a high rate and almost all
 * of it on one CPU. Rates from two readings of /proc/softirqs.
 */
public final class SoftirqStormRule implements Rule {
    public static final String ID = "cpu.softirq-storm";
    public static final Threshold RATE = new Threshold("cpu.softirq-storm.per-second", 20000,
            "softirqs of one type per second on one CPU",
            "nodedoctor: a busy 10 Gbit/s receive path runs tens of thousands of NET_RX per second per queue");
    public static final Threshold SHARE = new Threshold("cpu.softirq-storm.one-cpu-share", 0.8,
            "share (0..1) of that type's softirqs handled by the busiest CPU",
            "nodedoctor: four fifths on one CPU of several is a single-queue pattern");

    private final Thresholds thresholds;

    public SoftirqStormRule(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(Observations obs) {
        Delta d = obs.cpu().get().orElse(null);
        if (d == null || d.before().host().softirqs() == null || d.after().host().softirqs() == null) {
            return List.of();
        }
        Softirqs a = d.before().host().softirqs();
        Softirqs b = d.after().host().softirqs();
        if (b.cpus() < 2 || a.cpus() != b.cpus()) {
            return List.of();
        }
        List<Finding> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : b.counts().entrySet()) {
            long[] then = a.counts().get(e.getKey());
            if (then == null) {
                continue;
            }
            long total = 0;
            int busiest = 0;
            long busiestCount = -1;
            for (int c = 0; c < b.cpus(); c++) {
                long n = Math.max(0, e.getValue()[c] - then[c]);
                total += n;
                if (n > busiestCount) {
                    busiestCount = n;
                    busiest = c;
                }
            }
            double rate = busiestCount / d.seconds();
            double share = total == 0 ? 0 : (double) busiestCount / total;
            if (rate < thresholds.get(RATE) || share < thresholds.get(SHARE)) {
                continue;
            }
            String type = e.getKey();
            List<Evidence> ev = new ArrayList<>();
            ev.add(Evidence.of(type + " on CPU" + busiest, rate, "/s", "/proc/softirqs"));
            ev.add(Evidence.of(type + " on all CPUs", total / d.seconds(), "/s", "/proc/softirqs"));
            ev.add(Evidence.of("share on CPU" + busiest, 100 * share, "%", "/proc/softirqs"));
            if (d.host() != null && busiest < d.host().perCpu().size()) {
                ev.add(Evidence.of("softirq time on CPU" + busiest, d.host().perCpu().get(busiest).softirq(), "%",
                        "/proc/stat (cpu" + busiest + ")"));
            }
            boolean net = type.startsWith("NET");
            out.add(new Finding(ID, Severity.WARNING, Subjects.HOST,
                    String.format(Locale.ROOT, "%s softirqs: %.0f/s, %.0f%% of them on CPU%d", type, rate, 100 * share, busiest),
                    ev,
                    net ? "All network packet processing for the interface lands on one CPU: one receive queue (or "
                            + "RSS/RPS not spreading it), so that CPU saturates in softirq while others idle, and "
                            + "packets — SYNs included — queue and drop."
                            : "One CPU handles nearly all of this softirq type; work on that CPU (and what is pinned "
                            + "to it) is delayed by it.",
                    net ? "Check /proc/interrupts for the NIC queues and their CPUs; enable more queues (ethtool -L), "
                            + "RSS or RPS (/sys/class/net/IF/queues/rx-*/rps_cpus), run irqbalance; see what floods "
                            + "the interface (`sar -n DEV 1`)."
                            : "See which device or timer source drives it (/proc/interrupts); spread its IRQ affinity "
                            + "(/proc/irq/N/smp_affinity) or irqbalance.",
                    List.of("https://docs.kernel.org/networking/scaling.html"), List.of(), share));
        }
        return out;
    }
}
