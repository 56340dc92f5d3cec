package dev.nodedoctor.sample;

import dev.nodedoctor.cgroup.CgroupMemory;
import dev.nodedoctor.host.MemInfo;
import dev.nodedoctor.host.ProcCgroups;
import dev.nodedoctor.host.SlabInfo;
import dev.nodedoctor.host.VmStat;
import dev.nodedoctor.sys.ReadTiming;

import java.util.List;
import java.util.Map;

/**
 * Memory at one instant: the host's /proc/meminfo and /proc/vmstat, every memory cgroup, the cgroup counts
 * (/proc/cgroups, v2 cgroup.stat) that reveal dying cgroups, slab caches (root only), and how long each
 * memory.stat took to read. Parts that could not be read are null / -1 (see the snapshot's notes).
 */
public record MemoryState(MemInfo meminfo, VmStat vmstat, boolean cgroupV2, String mount,
                          Map<String, CgroupMemory> cgroups, ProcCgroups procCgroups, long nrDyingDescendants,
                          SlabInfo slab, List<ReadTiming> statReads) {

    /**
     * Dying memory cgroups: removed, but still held by the kernel. v2: the root's nr_dying_descendants; v1:
     * /proc/cgroups num_cgroups for memory minus the memory cgroup directories that exist. -1 if unknown.
     */
    public long dyingMemoryCgroups() {
        if (nrDyingDescendants >= 0) {
            return nrDyingDescendants;
        }
        long all = procCgroups == null ? -1 : procCgroups.numCgroups("memory");
        return all < 0 || cgroups.isEmpty() ? -1 : Math.max(0, all - cgroups.size());
    }
}
