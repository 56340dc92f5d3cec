package dev.nodedoctor.trace;

/**
 * Time spent in I/O calls on one file descriptor: which file a slow {@code read} was reading.
 *
 * @param path the file: from {@code -y} ({@code 3</sys/fs/cgroup/memory/memory.stat>}), from the {@code openat}
 *             that returned the fd inside the trace, or resolved afterwards through {@code /proc/PID/fd/N};
 *             null when none of these knew it
 */
public record FileTime(String syscall, int fd, String path, long calls, double seconds, double maxSeconds) {

    public double meanMicros() {
        return calls == 0 ? Double.NaN : seconds * 1e6 / calls;
    }

    public FileTime withPath(String resolved) {
        return new FileTime(syscall, fd, resolved, calls, seconds, maxSeconds);
    }
}
