package dev.nodedoctor.sample;

import dev.nodedoctor.host.CpuTimes;

/**
 * The share of CPU time in each state over an interval, in percent of all CPUs (like the %Cpu(s) line of
 * top and mpstat's "all" row). {@code cpu} names the CPU ("cpu" = all of them). As in mpstat, {@code user}
 * and {@code nice} exclude the time spent running guests, which is {@code guest}.
 */
public record HostCpuDelta(String cpu, double user, double nice, double system, double idle, double iowait,
                           double irq, double softirq, double steal, double guest) {

    /** Everything but idle and iowait; guest time (running VMs) is busy too. */
    public double busy() {
        return user + nice + system + irq + softirq + steal + guest;
    }

    static HostCpuDelta between(CpuTimes a, CpuTimes b) {
        double total = Math.max(1, b.total() - a.total());
        return new HostCpuDelta(b.cpu(),
                pct(b.user() - b.guest() - (a.user() - a.guest()), total),
                pct(b.nice() - b.guestNice() - (a.nice() - a.guestNice()), total),
                pct(b.system() - a.system(), total),
                pct(b.idle() - a.idle(), total),
                pct(b.iowait() - a.iowait(), total),
                pct(b.irq() - a.irq(), total),
                pct(b.softirq() - a.softirq(), total),
                pct(b.steal() - a.steal(), total),
                pct(b.guest() + b.guestNice() - a.guest() - a.guestNice(), total));
    }

    private static double pct(long ticks, double total) {
        // counters can step back on CPU hotplug; never show a negative share
        return Math.max(0, ticks) * 100.0 / total;
    }
}
