package dev.nodedoctor.diagnose;

import dev.nodedoctor.cgroup.CgroupLayout;

/** Where a piece of evidence came from, written as the path a user would `cat` to check it. */
final class Sources {
    private Sources() {
    }

    static String cgroupFile(CgroupLayout layout, String controller, String cgroup, String file) {
        String mount = layout == null ? null : layout.mountOf(controller);
        if (mount == null) {
            return cgroup + "/" + file;
        }
        return cgroup.equals("/") ? mount + "/" + file : mount + cgroup + "/" + file;
    }

    static String process(int pid, String file) {
        return "/proc/" + pid + "/" + file;
    }
}
