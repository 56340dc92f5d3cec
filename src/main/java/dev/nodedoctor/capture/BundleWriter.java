package dev.nodedoctor.capture;

import dev.nodedoctor.sys.ReadRecorder;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Collects every kernel file nodedoctor read (through {@link ReadRecorder}) and writes them as a tar.gz whose
 * paths mirror the machine's ({@code proc/stat}, {@code sys/fs/cgroup/...}), so `--root` reads it back.
 * It holds only what was read: no process memory, no environment, no files outside /proc and /sys.
 */
public final class BundleWriter implements ReadRecorder {
    /** Kept in memory until written; a node with thousands of cgroups makes a few MB. */
    private final Map<String, byte[]> files = new TreeMap<>();
    private final TreeSet<String> directories = new TreeSet<>();
    private long bytes;
    private volatile String prefix = "";

    /** Files recorded from now on go under this folder of the bundle ("" = its top). */
    public void prefix(String folder) {
        this.prefix = folder.isEmpty() || folder.endsWith("/") ? folder : folder + "/";
    }

    @Override
    public synchronized void file(String path, byte[] content, int length) {
        byte[] copy = Arrays.copyOf(content, length);
        byte[] old = files.put(strip(path), copy);
        bytes += length - (old == null ? 0 : old.length);
    }

    @Override
    public synchronized void directory(String path) {
        directories.add(strip(path));
    }

    /** Adds a file that is not a kernel file (the manifest). */
    public synchronized void extra(String path, byte[] content) {
        files.put(path, content);
    }

    public synchronized int fileCount() {
        return files.size();
    }

    public synchronized long byteCount() {
        return bytes;
    }

    private String strip(String path) {
        return prefix + (path.startsWith("/") ? path.substring(1) : path);
    }

    /**
     * Writes the archive atomically: to a temporary file beside {@code out}, then renamed, so an interrupted
     * capture never leaves a truncated bundle under the requested name, and an existing file is only
     * replaced by a complete one.
     */
    public synchronized void writeTo(Path out) throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".nodedoctor-capture-", ".tmp");
        try {
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp));
                 GzipCompressorOutputStream gz = new GzipCompressorOutputStream(os);
                 TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                TreeSet<String> allDirs = new TreeSet<>(directories);
                for (String f : files.keySet()) {
                    for (int i = f.indexOf('/'); i > 0; i = f.indexOf('/', i + 1)) {
                        allDirs.add(f.substring(0, i));
                    }
                }
                for (String d : allDirs) {
                    if (d.isEmpty()) {
                        continue;
                    }
                    TarArchiveEntry e = new TarArchiveEntry(d + "/");
                    e.setMode(040755);
                    tar.putArchiveEntry(e);
                    tar.closeArchiveEntry();
                }
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                    e.setSize(f.getValue().length);
                    e.setMode(0100444);
                    tar.putArchiveEntry(e);
                    tar.write(f.getValue());
                    tar.closeArchiveEntry();
                }
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
