package dev.nodedoctor.sys;

import java.time.Duration;

/**
 * A read handed to the reader thread. Submitting many reads before waiting for the first lets one
 * sampling pass cost one thread hand-off instead of one per file.
 */
public interface Pending<T> {
    /** Waits for the read, at most until its deadline, and returns the parsed record. */
    T get() throws KernelFileException;

    /** The same as {@link #get()}, but a failure becomes {@code null} and is handed to {@code onError}. */
    default T getOrNull(java.util.function.Consumer<KernelFileException> onError) {
        try {
            return get();
        } catch (KernelFileException e) {
            onError.accept(e);
            return null;
        }
    }

    /**
     * For optional files: null when the file does not exist (an older kernel, the root cgroup, a vanished
     * process), and any other failure handed to {@code onError}. Absence is normal; it is not reported.
     */
    default T getIfPresent(java.util.function.Consumer<KernelFileException> onError) {
        try {
            return get();
        } catch (KernelFileException e) {
            if (e.kind() != KernelFileException.Kind.MISSING) {
                onError.accept(e);
            }
            return null;
        }
    }

    /** How long the read itself took, once it has finished. */
    Duration elapsed();
}
