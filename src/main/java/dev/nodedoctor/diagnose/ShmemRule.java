package dev.nodedoctor.diagnose;

import dev.nodedoctor.cgroup.CgroupMemory;
import dev.nodedoctor.sample.MemoryState;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code memory.shmem}: tmpfs or shared memory charged to a limited cgroup. It looks like page cache but
 * cannot be reclaimed without swap: files in a memory-backed emptyDir or /dev/shm stay until deleted.
 */
public final class ShmemRule extends ConfiguredRule {
    public static final String ID = "memory.shmem";
    public static final Threshold SHARE = new Threshold("memory.shmem.limit-share", 0.25,
            "shmem as a share of the cgroup's limit (0..1)",
            "nodedoctor: a quarter of the limit that reclaim cannot touch");

    public static final Threshold CRITICAL_SHARE = new Threshold("memory.shmem.critical-limit-share", 0.5,
            "shmem as a share of the cgroup's limit (0..1) for critical", "nodedoctor: half the limit");


    public ShmemRule(Thresholds thresholds) {
        super(ID, thresholds);
    }


    @Override
    public List<Finding> evaluate(Observations obs) {
        MemoryState s = obs.memory().get().orElse(null);
        if (s == null) {
            return List.of();
        }
        double share = value(SHARE);
        List<Finding> out = new ArrayList<>();
        for (CgroupMemory m : MemoryFacts.deepestLimited(s, m -> m.shmem() >= share * m.limit())) {
            double held = (double) m.shmem() / m.limit();
            List<Evidence> ev = new ArrayList<>(MemoryFacts.breakdown(s, m));
            ev.addAll(Subjects.kubernetes(m.path(), "cgroup path"));
            String why = String.format(Locale.ROOT,
                    "%s (%.0f%% of the limit) is shmem: files in tmpfs (a Kubernetes emptyDir with medium: Memory, "
                            + "/dev/shm, /run) or shared memory segments, charged to this cgroup. Unlike page cache it "
                            + "cannot be dropped; without swap it stays until the files are deleted, and `ps` does not "
                            + "show it in any process's RSS unless mapped. A process that writes more there is "
                            + "OOM-killed although its own memory is small.",
                    MemoryFacts.mib(m.shmem()), 100 * held);
            String fix = "Find the files: `df -h` on the pod's tmpfs mounts and `du` inside them; delete what is not "
                    + "needed; put large scratch data on disk (emptyDir without medium: Memory); give the emptyDir a "
                    + "sizeLimit; or count it into the memory limit.";
            out.add(new Finding(ID, held >= value(CRITICAL_SHARE) ? Severity.CRITICAL : Severity.WARNING, Subjects.cgroup(m.path()),
                    String.format(Locale.ROOT, "%s of tmpfs / shared memory is charged to this cgroup (%.0f%% of its limit)",
                            MemoryFacts.mib(m.shmem()), 100 * held),
                    ev, why, fix,
                    List.of("https://kubernetes.io/docs/concepts/storage/volumes/#emptydir",
                            "https://docs.kernel.org/filesystems/tmpfs.html"),
                    List.of(), held));
        }
        return out;
    }
}
