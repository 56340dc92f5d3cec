package dev.nodedoctor.sys;

/**
 * A kernel file that could not be read. Carries the path and a {@link Kind} so a caller can tell
 * "not there" (a process that exited, a controller that is not mounted) from "not allowed" and from
 * "the kernel did not answer in time" — three very different things to tell a user.
 */
public final class KernelFileException extends Exception {
    public enum Kind {
        /** The file or directory does not exist (or vanished: a process exited, a cgroup was removed). */
        MISSING("no such file"),
        /** EACCES / EPERM: run as root or grant the capability the file needs. */
        PERMISSION("permission denied"),
        /** The read did not finish within the deadline; the kernel may still be working on it. */
        TIMEOUT("timed out"),
        /** The file is larger than the reader allows. */
        TOO_LARGE("too large"),
        /** The content could not be parsed. */
        MALFORMED("malformed"),
        /** Any other I/O error (EIO, ENODEV, EINVAL from a pseudo file ...). */
        IO("I/O error");

        private final String words;

        Kind(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    private final Kind kind;
    private final String path;

    public KernelFileException(Kind kind, String path, String detail) {
        super(message(kind, path, detail), null, false, false);
        this.kind = kind;
        this.path = path;
    }

    public KernelFileException(Kind kind, String path, String detail, Throwable cause) {
        super(message(kind, path, detail), cause, false, false);
        this.kind = kind;
        this.path = path;
    }

    private static String message(Kind kind, String path, String detail) {
        return path + ": " + kind.words() + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")");
    }

    public Kind kind() {
        return kind;
    }

    /** The path as the kernel names it, e.g. {@code /proc/stat}, without the --root prefix. */
    public String path() {
        return path;
    }
}
