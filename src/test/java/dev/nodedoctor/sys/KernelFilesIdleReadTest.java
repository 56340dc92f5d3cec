package dev.nodedoctor.sys;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link KernelFiles#readUntilIdle}: the read for /dev/kmsg, which blocks at the end of the ring. */
class KernelFilesIdleReadTest {

    @TempDir
    Path root;

    @Test
    void aRegularFileEndsAtEof() throws Exception {
        Files.createDirectories(root.resolve("dev"));
        Files.writeString(root.resolve("dev/kmsg"), "6,1,2,-;hello\n6,2,3,-;world\n");
        try (KernelFiles files = KernelFiles.at(root, Duration.ofSeconds(1))) {
            assertThat(files.readUntilIdle("/dev/kmsg", Duration.ofMillis(100), Parser.TEXT))
                    .isEqualTo("6,1,2,-;hello\n6,2,3,-;world\n");
        }
    }

    @Test
    void aStreamThatGoesQuietEndsAfterTheIdleTimeAndTheReaderLivesOn() throws Exception {
        Path fifo = fifo("dev/kmsg");
        Files.writeString(root.resolve("dev/other"), "still readable\n");
        CountDownLatch release = new CountDownLatch(1);
        Thread writer = writer(fifo, out -> {
            out.write("6,1,2,-;first\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            release.await(10, TimeUnit.SECONDS); // keeps the pipe open: a reader would block forever
        });
        try (KernelFiles files = KernelFiles.at(root, Duration.ofSeconds(2))) {
            long t0 = System.nanoTime();
            String got = files.readUntilIdle("/dev/kmsg", Duration.ofMillis(150), Parser.TEXT);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(got).isEqualTo("6,1,2,-;first\n");
            assertThat(ms).isLessThan(1500);
            // the interrupted reader thread goes on serving: no hung reader, the next read works
            assertThat(files.readText("/dev/other")).isEqualTo("still readable\n");
            assertThat(files.hungReaders()).isZero();
        } finally {
            release.countDown();
            writer.join(5000);
        }
    }

    @Test
    void aStreamThatKeepsDeliveringOutlivesTheDeadline() throws Exception {
        Path fifo = fifo("dev/kmsg");
        Thread writer = writer(fifo, out -> {
            for (int i = 0; i < 50; i++) { // 50 × 30 ms = 1.5 s or more, longer than the 1 s deadline
                out.write(("6," + i + ",0,-;tick\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(30);
            }
        });
        // the idle time is generous (a loaded machine can delay the writer by hundreds of ms)
        try (KernelFiles files = KernelFiles.at(root, Duration.ofSeconds(1))) {
            long t0 = System.nanoTime();
            String got = files.readUntilIdle("/dev/kmsg", Duration.ofMillis(900), Parser.TEXT);
            assertThat(got.lines()).hasSize(50);
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThan(1000);
        } finally {
            writer.join(5000);
        }
    }

    @Test
    void theIdleTimeMustBeShorterThanTheDeadline() {
        try (KernelFiles files = KernelFiles.at(root, Duration.ofMillis(500))) {
            assertThatThrownBy(() -> files.readUntilIdle("/dev/kmsg", Duration.ofSeconds(1), Parser.TEXT))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idle timeout");
            assertThatThrownBy(() -> files.readUntilIdle("/dev/kmsg", Duration.ZERO, Parser.TEXT))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aMissingFileIsMissing() {
        try (KernelFiles files = KernelFiles.at(root, Duration.ofMillis(500))) {
            assertThatThrownBy(() -> files.readUntilIdle("/dev/kmsg", Duration.ofMillis(100), Parser.TEXT))
                    .isInstanceOfSatisfying(KernelFileException.class,
                            e -> assertThat(e.kind()).isEqualTo(KernelFileException.Kind.MISSING));
        }
    }

    @Test
    void liveDevKmsgIsReadToTheEndOfTheRing() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/dev/kmsg")), "needs a readable /dev/kmsg (root or CAP_SYSLOG)");
        // the boot messages may have left the ring on a machine that has been up a while: mark its end instead
        String marker = "nodedoctor-test-end-of-ring-" + System.nanoTime();
        assumeTrue(Files.isWritable(Path.of("/dev/kmsg")), "needs to write a marker line to /dev/kmsg (root)");
        Files.writeString(Path.of("/dev/kmsg"), marker + "\n");
        try (KernelFiles files = KernelFiles.live()) {
            long t0 = System.nanoTime();
            String ring = files.readUntilIdle("/dev/kmsg", Duration.ofMillis(200), Parser.TEXT);
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1900);
            assertThat(ring).contains(marker);
            assertThat(ring.lines().findFirst().orElseThrow()).matches("\\d+,\\d+,\\d+,.*;.*");
            assertThat(files.readText("/proc/loadavg")).isNotEmpty();
            assertThat(files.hungReaders()).isZero();
        }
    }

    private interface Body {
        void write(OutputStream out) throws Exception;
    }

    private Path fifo(String rel) throws Exception {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Process mk = new ProcessBuilder("mkfifo", p.toString()).start();
        assertThat(mk.waitFor()).isZero();
        return p;
    }

    private static Thread writer(Path fifo, Body body) {
        Thread t = new Thread(() -> {
            try (OutputStream out = new FileOutputStream(fifo.toFile())) {
                body.write(out);
            } catch (Exception e) {
                // the reader went away: fine for these tests
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }
}
