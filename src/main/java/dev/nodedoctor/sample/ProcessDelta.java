package dev.nodedoctor.sample;

/**
 * One process over an interval. CPU is in percent of one core, as top and pidstat print it: 100 = one
 * core busy, 250 = two and a half cores.
 *
 * @param runQueueDelayMsPerSecond milliseconds per second its threads spent runnable but not running
 *                                 (from schedstat), -1 if unknown
 */
public record ProcessDelta(int pid, String name, String cmdline, String cgroup, double cpuPercent,
                           double userPercent, double systemPercent, long threads,
                           double voluntarySwitchesPerSecond, double involuntarySwitchesPerSecond,
                           double runQueueDelayMsPerSecond, long rssKb) {
}
