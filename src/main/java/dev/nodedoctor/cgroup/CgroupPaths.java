package dev.nodedoctor.cgroup;

/** Relations between cgroup paths as /proc/PID/cgroup writes them ("/" is the root). */
public final class CgroupPaths {
    private CgroupPaths() {
    }

    /** True if {@code path} is a strict descendant of {@code ancestor}: "/a/b" is below "/a", "/ab" is not. */
    public static boolean isBelow(String path, String ancestor) {
        if (ancestor.equals("/")) {
            return path.length() > 1 && path.startsWith("/");
        }
        return path.length() > ancestor.length() && path.startsWith(ancestor) && path.charAt(ancestor.length()) == '/';
    }

    /** The cgroup itself or one of its descendants. */
    public static boolean isAtOrBelow(String path, String ancestor) {
        return path.equals(ancestor) || isBelow(path, ancestor);
    }
}
