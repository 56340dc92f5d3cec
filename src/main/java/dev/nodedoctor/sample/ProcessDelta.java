package dev.nodedoctor.sample;

/**
 * One process over an interval. CPU is in percent of one core, as top and pidstat print it: 100 = one
 * core busy, 250 = two and a half cores.
 *
 * @param runQueueDelayMsPerSecond milliseconds per second its threads spent runnable but not running
 *                                 (from schedstat), -1 if unknown
 * @param voluntarySwitchesPerSecond  of the main thread only (/proc/PID/status is per thread), -1 if unknown
 * @param schedulesPerSecond       times per second any of its threads was put on a CPU (all threads), -1 if
 *                                 unknown: a whole-process context-switch rate
 */
public record ProcessDelta(int pid, String name, String cmdline, String cgroup, double cpuPercent,
                           double userPercent, double systemPercent, long threads,
                           double voluntarySwitchesPerSecond, double involuntarySwitchesPerSecond,
                           double runQueueDelayMsPerSecond, long rssKb, double schedulesPerSecond) {
}
