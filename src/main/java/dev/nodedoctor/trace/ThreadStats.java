package dev.nodedoctor.trace;

/**
 * The calls of one thread (or process with {@code -f}); strace prefixes each line with its thread id.
 *
 * @param seconds time in calls from {@code -T}, NaN without it
 */
public record ThreadStats(int tid, long calls, long errors, double seconds) {
}
