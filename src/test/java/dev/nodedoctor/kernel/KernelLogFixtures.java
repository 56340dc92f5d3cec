package dev.nodedoctor.kernel;

import dev.nodedoctor.testkit.Fixtures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The kernel-log fixtures (each folder has a README saying where it came from). */
final class KernelLogFixtures {
    static final Path OWN = Path.of("src/test/resources/fixtures/kernel-log");

    private KernelLogFixtures() {
    }

    /** The real memcg OOM captured on the build machine (6.18, cgroup v1) in one of its formats. */
    static String v1Oom618(String file) {
        return read(OWN.resolve("oom-v1-6.18").resolve(file));
    }

    static String publicFile(String file) {
        return read(OWN.resolve("public").resolve(file));
    }

    static String shared(String relative) {
        return read(Fixtures.shared().resolve(relative));
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
