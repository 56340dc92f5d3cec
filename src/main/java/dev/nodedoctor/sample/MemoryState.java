package dev.nodedoctor.sample;

import dev.nodedoctor.cgroup.CgroupMemory;
import dev.nodedoctor.host.MemInfo;
import dev.nodedoctor.host.VmStat;

import java.util.Map;

/**
 * Memory at one instant: the host's /proc/meminfo and /proc/vmstat, and every memory cgroup. Parts that could
 * not be read are null (see the snapshot's notes).
 */
public record MemoryState(MemInfo meminfo, VmStat vmstat, boolean cgroupV2, String mount,
                          Map<String, CgroupMemory> cgroups) {
}
