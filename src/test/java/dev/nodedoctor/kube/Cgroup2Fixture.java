package dev.nodedoctor.kube;

import dev.nodedoctor.testkit.Fixtures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;


/**
 * The real cgroup v2 capture in shared/fixtures/cgroup2-debian-6.1 (see its README.md for what ran there).
 * Found through {@link Fixtures#v2Root()} (skipped when ../shared is not beside the checkout).
 */
final class Cgroup2Fixture {

    private Cgroup2Fixture() {
    }

    static Path root() {
        return Fixtures.v2Root();
    }

    static Path cgroupRoot() {
        return root().resolve("sys/fs/cgroup");
    }

    /** A file of the capture, trimmed. */
    static String read(String relativeToRoot) {
        try {
            return Files.readString(root().resolve(relativeToRoot)).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A cgroup file of the capture, trimmed. */
    static String cgroupFile(String cgroup, String file) {
        return read("sys/fs/cgroup/" + cgroup + "/" + file);
    }
}
