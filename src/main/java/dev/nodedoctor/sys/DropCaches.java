package dev.nodedoctor.sys;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one write nodedoctor can make to the system, and only behind `--fix drop-caches`: asking the kernel to
 * drop clean page cache (1), reclaimable slab such as dentries and inodes (2), or both (3). Nothing is lost —
 * only clean, re-readable memory is freed — but the next reads go to disk. Runs with a deadline, because on a
 * node with huge caches the write itself can take a long time.
 */
public final class DropCaches {
    public static final String FILE = "/proc/sys/vm/drop_caches";

    private DropCaches() {
    }

    /** What writing {@code mode} does, in the words printed before doing it. */
    public static String describe(int mode) {
        return switch (mode) {
            case 1 -> "write 1 to " + FILE + ": drop clean page cache";
            case 2 -> "write 2 to " + FILE + ": drop reclaimable slab objects (dentries, inodes)";
            case 3 -> "write 3 to " + FILE + ": drop clean page cache and reclaimable slab objects";
            default -> throw new IllegalArgumentException("drop_caches mode must be 1, 2 or 3, not " + mode);
        };
    }

    /** Writes {@code mode}; returns how long the kernel took. Dirty pages are not dropped: sync first. */
    public static Duration drop(int mode, Duration deadline) throws KernelFileException {
        describe(mode);
        long t0 = System.nanoTime();
        FutureTask<Void> write = new FutureTask<>(() -> {
            Files.writeString(Path.of(FILE), Integer.toString(mode));
            return null;
        });
        Thread t = new Thread(write, "nodedoctor-drop-caches");
        t.setDaemon(true);
        t.start();
        try {
            write.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new KernelFileException(KernelFileException.Kind.TIMEOUT, FILE,
                    "the kernel is still dropping caches after " + deadline.toSeconds() + " s; it will finish on its own");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AccessDeniedException) {
                throw new KernelFileException(KernelFileException.Kind.PERMISSION, FILE, "run as root");
            }
            throw KernelFileException.of(cause instanceof IOException io ? io : new IOException(cause), FILE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelFileException(KernelFileException.Kind.IO, FILE, "interrupted");
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
