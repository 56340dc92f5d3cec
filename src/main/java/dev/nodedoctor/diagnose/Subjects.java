package dev.nodedoctor.diagnose;

/** How findings name what they are about, the same way everywhere. */
public final class Subjects {
    private Subjects() {
    }

    public static String cgroup(String path) {
        return "cgroup " + path;
    }

    public static String process(int pid, String name) {
        return "pid " + pid + " (" + name + ")";
    }

    public static final String HOST = "host";
}
