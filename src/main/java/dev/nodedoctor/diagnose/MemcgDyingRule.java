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
public final class MemcgDyingRule implements Rule {
    public static final String ID = "memcg.dying";
    public static final Threshold COUNT = new Threshold("memcg.dying.count", 1000,
            "dying memory cgroups for a warning",
            "nodedoctor: a node churning short-lived pods reaches thousands; the seed incident had tens of thousands");
    public static final Threshold CRITICAL_COUNT = new Threshold("memcg.dying.critical-count", 10000,
            "dying memory cgroups for critical", "nodedoctor: tens of thousands made memory.stat take seconds in the seed incident");

    private final Thresholds thresholds;

    public MemcgDyingRule(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(Observations obs) {
        MemoryState s = obs.memory().get().orElse(null);
        if (s == null) {
            return List.of();
        }
        long dying = s.dyingMemoryCgroups();
        if (dying < thresholds.get(COUNT)) {
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
            for (String cache : List.of("dentry", "inode_cache", "mem_cgroup", "mem_cgroup_per_node")) {
                SlabInfo.Cache c = s.slab().caches().get(cache);
                if (c != null) {
                    ev.add(Evidence.of(cache + " slab", c.bytes() / MemoryFacts.MIB, "MiB (" + c.objects() + " objects)",
                            "/proc/slabinfo"));
                }
            }
        }
        String why = String.format(Locale.ROOT,
                "%d memory cgroups were removed (pods and containers that ended) but cannot be freed: memory charged "
                        + "to them — page cache of files they read or wrote, and on kernels before 5.9 also slab objects "
                        + "such as dentries — is still in use, and the cgroup lives until the last page goes. Every "
                        + "read of memory.stat (and other hierarchical statistics) walks them too, so it slows down "
                        + "as they pile up; kubelet/cAdvisor read it every few seconds for every container, and their "
                        + "CPU goes into the kernel. Timers and network processing on the same CPUs then run late.",
                dying);
        String fix = "Stop-gap: `sync; echo 3 > /proc/sys/vm/drop_caches` frees the page cache and slab that pin "
                + "them (or `nodedoctor diagnose --fix drop-caches`, which prints what it does first); it costs a burst "
                + "of disk reads afterwards and the count grows back while the churn goes on. Lasting: a kernel "
                + "with the memcg reparenting work (5.9+ moves slab to the parent; 6.x kernels keep improving "
                + "this), fewer short-lived cgroups (batch jobs in long-lived pods), and monitoring that reads "
                + "cgroup statistics less often.";
        Severity sev = dying >= thresholds.get(CRITICAL_COUNT) ? Severity.CRITICAL : Severity.WARNING;
        return List.of(new Finding(ID, sev, Subjects.HOST,
                String.format(Locale.ROOT, "%d dying memory cgroups are held by the kernel (%d live)", dying,
                        s.cgroups().size()),
                ev, why, fix,
                List.of("https://lwn.net/Articles/787614/", "https://docs.kernel.org/admin-guide/cgroup-v2.html",
                        "https://docs.kernel.org/admin-guide/sysctl/vm.html#drop-caches"),
                List.of(), dying / 10000.0));
    }
}
