package dev.nodedoctor.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real cgroup v2 capture in shared/fixtures/cgroup2-debian-6.1 (see its README.md for what ran there).
 * The build passes the shared directory as the system property {@code nodedoctor.shared}.
 */
final class Cgroup2Fixture {

    private Cgroup2Fixture() {
    }

    static Path root() {
        Path root = Path.of(System.getProperty("nodedoctor.shared", "../shared"), "fixtures", "cgroup2-debian-6.1", "root");
        assumeTrue(Files.isDirectory(root), "the cgroup2-debian-6.1 fixture is not at " + root.toAbsolutePath());
        return root;
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
