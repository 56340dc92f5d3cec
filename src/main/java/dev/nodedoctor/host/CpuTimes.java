package dev.nodedoctor.host;

/**
 * One {@code cpu} line of /proc/stat, in USER_HZ ticks since boot. As in the kernel, {@code user} already
 * includes {@code guest} and {@code nice} includes {@code guestNice}, so they are not added to the total.
 *
 * @param cpu "cpu" for the sum over all CPUs, "cpu0", "cpu1", ... for one CPU
 */
public record CpuTimes(String cpu, long user, long nice, long system, long idle, long iowait, long irq,
                       long softirq, long steal, long guest, long guestNice) {

    /** Every tick spent in any state: the denominator for the percentages top and mpstat print. */
    public long total() {
        return user + nice + system + idle + iowait + irq + softirq + steal;
    }

    /** Ticks not idle and not waiting for I/O. */
    public long busy() {
        return user + nice + system + irq + softirq + steal;
    }
}
