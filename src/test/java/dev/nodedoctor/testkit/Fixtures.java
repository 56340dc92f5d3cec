package dev.nodedoctor.testkit;

import dev.nodedoctor.capture.BundleReader;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the captured trees live. Each has a README that says where it came from. */
public final class Fixtures {
    private static Path v1;

    private Fixtures() {
    }

    /**
     * ../shared: the project's read-only shared folder (a real pure cgroup v2 node, peers' outputs). It sits
     * beside the checkout on the project's machines and CI; a clone elsewhere has no such folder, and the tests
     * that need it are skipped (with this reason) rather than failing on a missing file.
     */
    public static Path shared() {
        String prop = System.getProperty("nodedoctor.shared");
        Path p = (prop != null ? Path.of(prop) : Path.of("..", "shared")).toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isDirectory(p), "needs the project's shared fixtures at " + p
                + " (../shared beside the checkout, or -Dnodedoctor.shared=DIR)");
        return p;
    }

    /** The pure cgroup v2 Debian 6.1 node (see ../shared/fixtures/cgroup2-debian-6.1/README.md). */
    public static Path v2Root() {
        Path p = shared().resolve("fixtures/cgroup2-debian-6.1/root");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("missing shared fixture " + p + " (is ../shared beside the checkout?)");
        }
        return p;
    }

    /** The hybrid v1 capture of this project's build machine (src/test/resources/fixtures/v1-hybrid-6.18). */
    public static synchronized Path v1Bundle() {
        return Path.of("src/test/resources/fixtures/v1-hybrid-6.18/capture.tar.gz").toAbsolutePath();
    }

    /** The v1 capture unpacked once per test run. */
    public static synchronized Path v1Root() {
        if (v1 == null) {
            try {
                v1 = BundleReader.unpack(v1Bundle());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return v1;
    }

    public static String read(Path root, String kernelPath) {
        try {
            return Files.readString(root.resolve(kernelPath.substring(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
