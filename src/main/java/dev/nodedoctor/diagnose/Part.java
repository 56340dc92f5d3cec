package dev.nodedoctor.diagnose;

import java.util.Optional;

/**
 * One kind of evidence in {@link Observations}: there, or absent with the reason. A rule that finds its part
 * absent stays silent, and the report says "could not look at X because Y" instead of implying health.
 */
public sealed interface Part<T> {

    record Present<T>(T value) implements Part<T> {
    }

    /** @param why "not gathered (use --trace)", "permission denied: /dev/kmsg", "timed out: ..." */
    record Absent<T>(String why) implements Part<T> {
    }

    static <T> Part<T> of(T value) {
        return new Present<>(value);
    }

    static <T> Part<T> absent(String why) {
        return new Absent<>(why);
    }

    default Optional<T> get() {
        return this instanceof Present<T> p ? Optional.of(p.value()) : Optional.empty();
    }
}
