package dev.nodedoctor.cgroup;

import dev.nodedoctor.host.Pressure;

/**
 * What one pass read of one cgroup. Parts that could not be read are null.
 *
 * @param path the cgroup path as /proc/&lt;pid&gt;/cgroup names it, "/" for the root
 */
public record CgroupStats(String path, CgroupCpu cpu, CgroupPids pids, Pressure cpuPressure) {
}
