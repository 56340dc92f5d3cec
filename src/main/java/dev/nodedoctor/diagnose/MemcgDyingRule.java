package dev.nodedoctor.diagnose;

import dev.nodedoctor.host.SlabInfo;
import dev.nodedoctor.sample.Delta;
import dev.nodedoctor.sample.MemoryState;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code memcg.dying}: many memory cgroups were removed but the kernel still holds them, because pages
 * charged to them (page cache, or slab such as dentries on kernels before 5.9) are still in use. Each one
 * still costs memory and, worse, work in every statistics read that walks the hierarchy: memory.stat gets
 * slow, and every agent reading it (kubelet/cAdvisor) burns CPU in the kernel.
 */
public final class MemcgDyingRule extends ConfiguredRule {
    public static final String ID = "memcg.dying";
    public static final Threshold COUNT = new Threshold("memcg.dying.count", 1000,
            "dying memory cgroups for a warning",
            "nodedoctor: a node churning short-lived pods reaches thousands; the seed incident had tens of thousands");
    public static final Threshold CRITICAL_COUNT = new Threshold("memcg.dying.critical-count", 10000,
            "dying memory cgroups for critical", "nodedoctor: tens of thousands made memory.stat take seconds in the seed incident");


    public MemcgDyingRule(Thresholds thresholds) {
        super(ID, thresholds);
    }


    @Override
    public List<Finding> evaluate(Observations obs) {
        MemoryState s = obs.memory().get().orElse(null);
        if (s == null) {
            return List.of();
        }
        long dying = s.dyingMemoryCgroups();
        if (dying < value(COUNT)) {
            return List.of();
        }
        List<Evidence> ev = new ArrayList<>();
        String root = MemoryFacts.file(s, "/", "cgroup.stat");
        if (s.nrDyingDescendants() >= 0) {
            ev.add(Evidence.of("dying cgroups", dying, "", root + " (nr_dying_descendants)"));
        } else {
            ev.add(Evidence.of("dying memory cgroups", dying, "", "/proc/cgroups num_cgroups − live directories"));
            ev.add(Evidence.of("memory cgroups the kernel counts", s.procCgroups().numCgroups("memory"), "",
                    "/proc/cgroups (memory num_cgroups)"));
        }
        ev.add(Evidence.of("live memory cgroups", s.cgroups().size(), "", s.mount() + " (directories)"));
        MemoryState before = obs.cpu().get().map(Delta::before).map(x -> x.memory()).orElse(null);
        double seconds = obs.cpu().get().map(Delta::seconds).orElse(0.0);
        if (before != null && before.dyingMemoryCgroups() >= 0 && before.dyingMemoryCgroups() != dying) {
            ev.add(Evidence.of("change during the window", dying - before.dyingMemoryCgroups(),
                    "in " + Evidence.format(seconds) + " s", "two readings"));
        }
        if (s.meminfo() != null) {
            ev.add(Evidence.of("Slab", s.meminfo().bytes("Slab") / MemoryFacts.MIB, "MiB", "/proc/meminfo"));
            ev.add(Evidence.of("SUnreclaim", s.meminfo().bytes("SUnreclaim") / MemoryFacts.MIB, "MiB", "/proc/meminfo"));
        }
        if (s.slab() != null) {
            for (String cache : List.of("dentry", "inode_cache", "ext4_inode_cache", "xfs_inode", "btrfs_inode",
                    "shmem_inode_cache", "mem_cgroup")) {
                SlabInfo.Cache c = s.slab().caches().get(cache);
                if (c != null) {
                    ev.add(Evidence.of(cache + " slab", c.bytes() / MemoryFacts.MIB,
                            "MiB (" + c.activeObjects() + " objects in use)", "/proc/slabinfo"));
                }
            }
        }
        String why = String.format(Locale.ROOT,
                "%d memory cgroups were removed (pods and containers that ended) but cannot be freed: memory charged "
                        + "to them is still in use — page cache of files they read or wrote, and on older kernels also "
                        + "slab objects such as dentries (slab is moved to the parent since 5.3/5.9) — and the cgroup "
                        + "lives until the last page goes. Each costs kernel memory, and on kernels before 5.13 every "
                        + "read of memory.stat summed over all descendants, dying ones included, so it slowed down as "
                        + "they piled up; kubelet/cAdvisor read it for every container every housekeeping interval, and "
                        + "their CPU went into the kernel. Timers and network processing on those CPUs then run late.",
                dying);
        String fix = "Stop-gap: `sync; echo 3 > /proc/sys/vm/drop_caches` frees the page cache and slab that pin "
                + "them (or `nodedoctor diagnose --fix drop-caches`, which prints what it does first); it costs a burst "
                + "of disk reads afterwards and the count grows back while the churn goes on. Lasting: a newer "
                + "kernel (cheaper stat reads since 5.13; page cache itself still pins dying cgroups on most kernels "
                + "in use), fewer short-lived cgroups (batch jobs in long-lived pods), and monitoring that reads "
                + "cgroup statistics less often.";
        Severity sev = dying >= value(CRITICAL_COUNT) ? Severity.CRITICAL : Severity.WARNING;
        return List.of(new Finding(ID, sev, Subjects.HOST,
                String.format(Locale.ROOT, "%d dying memory cgroups are held by the kernel (%d live)", dying,
                        s.cgroups().size()),
                ev, why, fix,
                List.of("https://lwn.net/Articles/787614/", "https://docs.kernel.org/admin-guide/cgroup-v2.html",
                        "https://docs.kernel.org/admin-guide/sysctl/vm.html#drop-caches"),
                List.of(), dying / 10000.0));
    }
}
