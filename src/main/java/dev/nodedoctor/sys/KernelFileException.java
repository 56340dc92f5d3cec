package dev.nodedoctor.sys;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

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

    /** Maps the JDK's exceptions (and errno texts) to the three things a user can act on. */
    public static KernelFileException of(IOException e, String path) {
        if (e instanceof NoSuchFileException) {
            return new KernelFileException(Kind.MISSING, path, null);
        }
        if (e instanceof AccessDeniedException) {
            return new KernelFileException(Kind.PERMISSION, path,
                    "run as root, or with the capability this file needs");
        }
        if (e instanceof NotDirectoryException) {
            return new KernelFileException(Kind.MISSING, path, "not a directory");
        }
        String reason = e instanceof FileSystemException ? ((FileSystemException) e).getReason() : e.getMessage();
        String text = reason == null ? "" : reason;
        if (text.contains("No such process") || text.contains("No such file") || text.contains("No such device")) {
            // ESRCH: the process exited between listing /proc and reading its files;
            // ENODEV: the cgroup was removed after its file was opened
            return new KernelFileException(Kind.MISSING, path, "vanished while reading");
        }
        if (text.contains("Permission denied") || text.contains("Operation not permitted")) {
            return new KernelFileException(Kind.PERMISSION, path,
                    "run as root, or with the capability this file needs");
        }
        if (text.contains("Is a directory")) {
            return new KernelFileException(Kind.IO, path, "is a directory");
        }
        return new KernelFileException(Kind.IO, path, text.isEmpty() ? e.getClass().getSimpleName() : text);
    }
}
