package dev.nodedoctor.sys;

import java.time.Duration;

/**
 * How long one read of a kernel file took. A read slower than {@link KernelFiles#slowThreshold()} or one
 * that timed out is kept, because a slow kernel file is itself evidence (a memory.stat read that takes
 * seconds is how dying memory cgroups show up).
 */
public record ReadTiming(String path, Duration elapsed, boolean timedOut) {
}
