package dev.nodedoctor.cgroup;

import dev.nodedoctor.host.Mount;
import dev.nodedoctor.sys.KernelFileException;
import dev.nodedoctor.sys.KernelFiles;
import dev.nodedoctor.sys.Parser;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the cgroup hierarchies are mounted and which controllers each has. Three shapes exist in the field:
 * pure v1 (one mount per controller or group of controllers), pure v2 (one unified mount), and hybrid
 * (v1 controllers plus a v2 mount, usually at /sys/fs/cgroup/unified, that holds the controllers v1 does
 * not). A controller is read from v2 only if the unified mount has it.
 *
 * @param v1Mounts           controller name → mount point (paths as the kernel names them)
 * @param unifiedMount       the cgroup2 mount point, or null
 * @param unifiedControllers the controllers enabled at the v2 root (its cgroup.controllers)
 * @param notes              things a user should know (e.g. the mount is a cgroup-namespace view)
 */
public record CgroupLayout(Mode mode, Map<String, String> v1Mounts, String unifiedMount,
                           Set<String> unifiedControllers, List<String> notes) {

    public enum Mode {
        V1("cgroup v1"), V2("cgroup v2"), HYBRID("hybrid (v1 controllers + a v2 mount)"), NONE("no cgroups mounted");

        private final String words;

        Mode(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    static final Set<String> V1_CONTROLLERS = Set.of("cpu", "cpuacct", "cpuset", "memory", "blkio", "devices",
            "freezer", "net_cls", "net_prio", "perf_event", "hugetlb", "pids", "rdma", "misc");

    /** True if the controller is served by the unified (v2) hierarchy. */
    public boolean onV2(String controller) {
        return unifiedMount != null && unifiedControllers.contains(controller);
    }

    /** The mount point that holds the controller, v2 first, or null if it is not mounted. */
    public String mountOf(String controller) {
        if (onV2(controller)) {
            return unifiedMount;
        }
        return v1Mounts.get(controller);
    }

    /**
     * Reads mountinfo. For a --root other than "/" (a captured tree, or a host at /host) PID 1's mountinfo
     * is the host's view; ours would be the container's. Falls back to probing the usual paths when no
     * mountinfo is readable.
     */
    public static CgroupLayout discover(KernelFiles files) {
        List<String> notes = new ArrayList<>();
        List<Mount> mounts = null;
        List<String> candidates = files.isLive()
                ? List.of("/proc/self/mountinfo")
                : List.of("/proc/1/mountinfo", "/proc/self/mountinfo");
        for (String path : candidates) {
            try {
                mounts = files.read(path, Mount.PARSER);
                break;
            } catch (KernelFileException e) {
                if (e.kind() != KernelFileException.Kind.MISSING) {
                    notes.add(e.getMessage());
                }
            }
        }
        if (mounts == null) {
            notes.add("no readable mountinfo; guessed the cgroup mounts from /sys/fs/cgroup");
            return probe(files, notes);
        }
        Map<String, String> v1 = new LinkedHashMap<>();
        String unified = null;
        for (Mount m : mounts) {
            if (m.fsType().equals("cgroup2")) {
                if (unified == null || m.mountPoint().equals("/sys/fs/cgroup")) {
                    unified = m.mountPoint();
                }
                noteNonRoot(m, notes);
            } else if (m.fsType().equals("cgroup")) {
                for (String opt : m.superOptionList()) {
                    if (V1_CONTROLLERS.contains(opt)) {
                        v1.putIfAbsent(opt, m.mountPoint());
                    }
                }
                noteNonRoot(m, notes);
            }
        }
        return build(files, v1, unified, notes);
    }

    private static void noteNonRoot(Mount m, List<String> notes) {
        if (!m.root().equals("/")) {
            notes.add(m.mountPoint() + " shows only the sub-tree " + m.root()
                    + " (a cgroup namespace or bind mount): cgroups outside it are not visible");
        }
    }

    private static CgroupLayout probe(KernelFiles files, List<String> notes) {
        Map<String, String> v1 = new LinkedHashMap<>();
        String unified = null;
        if (files.exists("/sys/fs/cgroup/cgroup.controllers")) {
            unified = "/sys/fs/cgroup";
        } else if (files.exists("/sys/fs/cgroup/unified/cgroup.controllers")) {
            unified = "/sys/fs/cgroup/unified";
        }
        for (String c : V1_CONTROLLERS) {
            if (files.exists("/sys/fs/cgroup/" + c + "/cgroup.procs")) {
                v1.put(c, "/sys/fs/cgroup/" + c);
            }
        }
        return build(files, v1, unified, notes);
    }

    private static CgroupLayout build(KernelFiles files, Map<String, String> v1, String unified, List<String> notes) {
        Set<String> unifiedControllers = Set.of();
        if (unified != null) {
            try {
                String text = files.read(unified + "/cgroup.controllers", Parser.TEXT).trim();
                unifiedControllers = text.isEmpty() ? Set.of() : Set.of(text.split("\\s+"));
            } catch (KernelFileException e) {
                notes.add(e.getMessage());
            }
        }
        Mode mode;
        if (unified != null && !v1.isEmpty()) {
            mode = Mode.HYBRID;
        } else if (unified != null) {
            mode = Mode.V2;
        } else if (!v1.isEmpty()) {
            mode = Mode.V1;
        } else {
            mode = Mode.NONE;
        }
        return new CgroupLayout(mode, Map.copyOf(v1), unified, unifiedControllers, List.copyOf(notes));
    }

    /** A one-line description for reports: "hybrid (v1 controllers + a v2 mount): cpu from v1 at ...". */
    public String describe() {
        if (mode == Mode.NONE) {
            return mode.words();
        }
        String cpu = mountOf("cpu");
        return mode.words() + (cpu == null ? "; no cpu controller mounted"
                : "; cpu controller " + (onV2("cpu") ? "v2" : "v1") + " at " + cpu);
    }
}
