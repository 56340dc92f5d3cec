package dev.nodedoctor.sample;

import dev.nodedoctor.cgroup.CgroupStats;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one sampling pass read, at one instant. {@code monotonicNanos} is the clock to divide counter
 * deltas by; {@code notes} say what could not be read and why, so "nothing found" can be told from
 * "could not look".
 */
public record Snapshot(long monotonicNanos, Instant time, HostSample host, Map<Integer, ProcessSample> processes,
                       Map<String, CgroupStats> cgroups, List<String> notes, MemoryState memory) {

    /** The same readings as if taken at another instant: a capture's moments are replayed this way. */
    public Snapshot at(long monotonic) {
        return new Snapshot(monotonic, time, host, processes, cgroups, notes, memory);
    }
}
