package dev.nodedoctor.capture;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Unpacks a capture bundle into a temporary directory for `--root FILE.tar.gz`. Entries that would land
 * outside the directory (absolute paths, "..") and links are refused: a bundle may come from anywhere.
 */
public final class BundleReader {
    /** A bundle is kernel text; anything bigger than this unpacked is not one of ours. */
    static final long MAX_UNPACKED = 2L << 30;

    private BundleReader() {
    }

    public static boolean looksLikeBundle(Path p) {
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        return Files.isRegularFile(p) && (name.endsWith(".tar.gz") || name.endsWith(".tgz"));
    }

    /** Unpacks; the directory is removed when the JVM exits. */
    public static Path unpack(Path bundle) throws IOException {
        Path dir = Files.createTempDirectory("nodedoctor-root-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        long total = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(bundle));
             GzipCompressorInputStream gz = new GzipCompressorInputStream(in);
             TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Path target = dir.resolve(e.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException(bundle + ": entry '" + e.getName() + "' points outside the bundle");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.isFile()) {
                    Files.createDirectories(target.getParent());
                    total += Files.copy(tar, target);
                    if (total > MAX_UNPACKED) {
                        throw new IOException(bundle + ": unpacks to more than 2 GiB; not a nodedoctor capture");
                    }
                }
                // links and devices are skipped: a capture has none
            }
        } catch (IOException e) {
            deleteTree(dir);
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IOException(bundle + ": not a readable tar.gz capture (" + msg + ")", e);
        }
        return dir;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at exit
        }
    }
}
