package dev.nodedoctor.trace;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** The real strace outputs in src/test/resources/fixtures/strace (see its README). */
public final class StraceFixtures {
    private StraceFixtures() {
    }

    public static Path dir() {
        return Path.of("src/test/resources/fixtures/strace").toAbsolutePath();
    }

    public static byte[] bytes(String name) {
        Path p = dir().resolve(name);
        try (InputStream raw = Files.newInputStream(p);
             InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TraceSummary parse(String name) {
        try {
            return StraceParser.parse(new java.io.ByteArrayInputStream(bytes(name)), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
