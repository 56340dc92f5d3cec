package dev.nodedoctor.diagnose;

import dev.nodedoctor.host.Interrupts;
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
public final class SoftirqStormRule extends ConfiguredRule {
    public static final String ID = "cpu.softirq-storm";
    public static final Threshold RATE = new Threshold("cpu.softirq-storm.per-second", 20000,
            "softirqs of one type per second on one CPU",
            "nodedoctor: a busy 10 Gbit/s receive path runs tens of thousands of NET_RX per second per queue");
    public static final Threshold SHARE = new Threshold("cpu.softirq-storm.one-cpu-share", 0.8,
            "share (0..1) of that type's softirqs handled by the busiest CPU",
            "nodedoctor: four fifths on one CPU of several is a single-queue pattern");


    public SoftirqStormRule(Thresholds thresholds) {
        super(ID, thresholds);
    }


    /** The device interrupts that land on that CPU most (rate over the window), from /proc/interrupts. */
    static void topInterrupts(Delta d, int cpu, List<Evidence> ev) {
        Interrupts a = d.before().host().interrupts();
        Interrupts b = d.after().host().interrupts();
        if (a == null || b == null || cpu >= b.cpus()) {
            return;
        }
        List<Map.Entry<String, Double>> rates = new ArrayList<>();
        for (Interrupts.Line line : b.lines().values()) {
            Interrupts.Line then = a.lines().get(line.irq());
            // numbered lines are devices; the named ones (LOC, RES, CAL, TLB...) are the CPUs' own work
            if (then == null || cpu >= then.counts().length || !Character.isDigit(line.irq().charAt(0))) {
                continue;
            }
            double rate = Math.max(0, line.counts()[cpu] - then.counts()[cpu]) / d.seconds();
            if (rate >= 1) {
                rates.add(Map.entry(line.irq() + " " + line.source(), rate));
            }
        }
        rates.sort((x, y) -> Double.compare(y.getValue(), x.getValue()));
        for (int i = 0; i < Math.min(3, rates.size()); i++) {
            ev.add(Evidence.of("IRQ " + rates.get(i).getKey() + " on CPU" + cpu, rates.get(i).getValue(), "/s",
                    "/proc/interrupts"));
        }
    }

    @Override
    public List<Finding> evaluate(Observations obs) {
        Delta d = obs.cpu().get().orElse(null);
        if (d == null || d.before().host().softirqs() == null || d.after().host().softirqs() == null) {
            return List.of();
        }
        Softirqs a = d.before().host().softirqs();
        Softirqs b = d.after().host().softirqs();
        // /proc/softirqs has a column per possible CPU; judge concentration only with several online
        if (a.cpus() != b.cpus() || d.host() == null || d.host().perCpu().size() < 2) {
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
            if (rate < value(RATE) || share < value(SHARE)) {
                continue;
            }
            String type = e.getKey();
            List<Evidence> ev = new ArrayList<>();
            ev.add(Evidence.of(type + " on CPU" + busiest, rate, "/s", "/proc/softirqs"));
            ev.add(Evidence.of(type + " on all CPUs", total / d.seconds(), "/s", "/proc/softirqs"));
            ev.add(Evidence.of("share on CPU" + busiest, 100 * share, "%", "/proc/softirqs"));
            String cpuName = "cpu" + busiest;
            d.host().perCpu().stream().filter(c -> c.cpu().equals(cpuName)).findFirst().ifPresent(c ->
                    ev.add(Evidence.of("softirq time on CPU" + cpuName.substring(3), c.softirq(), "%",
                            "/proc/stat (" + cpuName + ")")));
            topInterrupts(d, busiest, ev);
            boolean rx = type.equals("NET_RX");
            boolean tx = type.equals("NET_TX");
            out.add(new Finding(ID, Severity.WARNING, Subjects.HOST,
                    String.format(Locale.ROOT, "%s softirqs: %.0f/s, %.0f%% of them on CPU%d", type, rate, 100 * share, busiest),
                    ev,
                    rx ? "Network receive processing lands on one CPU: one receive queue (or RSS/RPS not spreading "
                            + "it), so that CPU saturates in softirq while others idle, and packets — SYNs included — "
                            + "queue and drop."
                            : tx ? "Transmit completion work lands on one CPU (one transmit queue, or XPS not spreading "
                            + "it); that CPU's other work waits."
                            : "One CPU handles nearly all of this softirq type; work on that CPU (and what is pinned "
                            + "to it) is delayed by it.",
                    rx ? "Check /proc/interrupts for the NIC queues and their CPUs; enable more queues (ethtool -L), "
                            + "RSS or RPS (/sys/class/net/IF/queues/rx-*/rps_cpus), run irqbalance; see what floods "
                            + "the interfaces (`sar -n DEV 1`)."
                            : tx ? "Spread transmit queues (ethtool -L, XPS in /sys/class/net/IF/queues/tx-*/xps_cpus); "
                            + "see which interface sends the most (`sar -n DEV 1`)."
                            : "See which device or timer source drives it (/proc/interrupts); spread its IRQ affinity "
                            + "(/proc/irq/N/smp_affinity) or irqbalance.",
                    List.of("https://docs.kernel.org/networking/scaling.html"), List.of(), share));
        }
        return out;
    }
}
