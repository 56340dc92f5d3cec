package dev.nodedoctor.report;

import dev.nodedoctor.sample.HostDelta;

/** The host line of reports, as numbers for JSON. -1 = unknown. */
public record HostSummary(int cpus, double busyPercent, double userPercent, double systemPercent,
                          double iowaitPercent, double irqPercent, double softirqPercent, double stealPercent,
                          double load1, double cpuPressureSomePercent, double contextSwitchesPerSecond) {

    public static HostSummary of(HostDelta h) {
        if (h == null) {
            return null;
        }
        return new HostSummary(h.cpus(), h.all().busy(), h.all().user() + h.all().nice(), h.all().system(),
                h.all().iowait(), h.all().irq(), h.all().softirq(), h.all().steal(),
                h.load() == null ? -1 : h.load().one(), h.cpuPressureSome(), h.contextSwitchesPerSecond());
    }
}
