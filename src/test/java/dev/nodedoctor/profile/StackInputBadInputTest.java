package dev.nodedoctor.profile;

import dev.nodedoctor.testkit.Cli;
import dev.nodedoctor.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** perf script and folded inputs that are broken, empty, huge or endless: clear errors, bounded memory. */
class StackInputBadInputTest {
    /** An endless-looking stream: {@code total} bytes of folded lines over a few distinct stacks, made on the fly. */
    static InputStream foldedStream(long total) {
        byte[][] lines = {
            "java;main;a;b 7\n".getBytes(StandardCharsets.US_ASCII),
            "java;main;a;c 3\n".getBytes(StandardCharsets.US_ASCII),
            "java;gc;mark 1\n".getBytes(StandardCharsets.US_ASCII)};
        return new InputStream() {
            long sent;
            int line;
            int pos;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0];
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (sent >= total) {
                    return -1;
                }
                int n = 0;
                while (n < len && sent < total) {
                    byte[] l = lines[line];
                    int k = Math.min(len - n, l.length - pos);
                    System.arraycopy(l, pos, b, off + n, k);
                    n += k;
                    pos += k;
                    sent += k;
                    if (pos == l.length) {
                        pos = 0;
                        line = (line + 1) % lines.length;
                    }
                }
                return n;
            }
        };
    }

    @Test
    void aLongFoldedStreamIsSummedInMemoryPerDistinctStack() throws Exception {
        long bytes = 64L << 20;
        FlameStacks s = FlameStacks.readFolded(foldedStream(bytes), "stdin", false, w -> { });
        assertThat(s.size()).isEqualTo(3);
        double total = s.asMap().values().stream().mapToDouble(v -> v[1]).sum();
        // 16+16+15 bytes carry 7+3+1 samples
        assertThat(total).isCloseTo(bytes / 47.0 * 11, org.assertj.core.data.Offset.offset(20.0));
    }

    /**
     * The real command, {@code flame --folded - -o tmp/out.folded}, in a child JVM with {@code heap} of heap
     * (-Xmx), its stderr in tmp/err; the caller writes its stdin.
     */
    private static Process flameFoldedFromStdin(Path tmp, String heap) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseSerialGC", "-cp", cp, "dev.nodedoctor.cli.Main", "flame", "--folded", "-",
                "-o", tmp.resolve("out.folded").toString()));
        return new ProcessBuilder(cmd).redirectError(tmp.resolve("err").toFile()).start();
    }

    /** The real command in a JVM capped at 48 MB of heap reads 1 GiB of folded stacks from stdin. */
    @Test
    void aGigabyteOnStdinInASmallHeap(@TempDir Path tmp) throws Exception {
        Process p = flameFoldedFromStdin(tmp, "48m");
        try (OutputStream stdin = p.getOutputStream(); InputStream src = foldedStream(1L << 30)) {
            src.transferTo(stdin);
        }
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(tmp.resolve("err"))).isZero();
        assertThat(Files.readAllLines(tmp.resolve("out.folded"))).hasSize(3).first().asString().startsWith("java;gc;mark ");
    }

    /**
     * Distinct stacks without end (every line a new stack) in a JVM capped at 24 MB of heap: the tables must
     * outgrow it, and the command says so in one line with the way out, exit 3, no stack trace.
     */
    @Test
    void runningOutOfHeapIsAClearError(@TempDir Path tmp) throws Exception {
        Process p = flameFoldedFromStdin(tmp, "24m");
        try (OutputStream stdin = new java.io.BufferedOutputStream(p.getOutputStream(), 1 << 16)) {
            for (long i = 0; i < 5_000_000 && p.isAlive(); i++) {
                stdin.write(("java;main;work" + i + ";leaf" + i * 7 + " 1\n").getBytes(StandardCharsets.US_ASCII));
            }
        } catch (IOException e) {
            // the command exited and closed its stdin: what this test waits for
        }
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(tmp.resolve("err"));
        assertThat(p.exitValue()).as(err).isEqualTo(3);
        assertThat(err.strip()).startsWith("nodedoctor: error: out of memory: this input needs more than")
                .contains("NODEDOCTOR_JAVA_OPTS=-Xmx").doesNotContain("\tat ").doesNotContain("Exception in thread");
    }

    @Test
    void aLineWithoutEndIsRefusedNotBuffered() {
        InputStream endless = new InputStream() {
            long n;

            @Override
            public int read() {
                return n++ < (64L << 20) ? 'x' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                Arrays.fill(b, off, off + len, (byte) 'x');
                n += len;
                return n < (64L << 20) ? len : -1;
            }
        };
        assertThatThrownBy(() -> FlameStacks.readFolded(endless, "stdin", false, w -> { }))
                .isInstanceOf(ProfileFormatException.class).hasMessageContaining("longer than 16 MiB");
        assertThatThrownBy(() -> PerfCollapse.collapse(new ByteArrayInputStream(new byte[20 << 20]), "zeros",
                PerfCollapse.Options.defaults(), w -> { })).hasMessageContaining("longer than 16 MiB");
    }

    @Test
    void garbageAndEmptyInput(@TempDir Path tmp) throws Exception {
        List<String> warnings = new ArrayList<>();
        FoldedStacks none = PerfCollapse.collapse(new ByteArrayInputStream("hello\nworld\n".getBytes()), "x",
                PerfCollapse.Options.defaults(), warnings::add);
        assertThat(none.size()).isZero();
        Path empty = tmp.resolve("empty");
        Files.write(empty, new byte[0]);
        Cli.Run r = Cli.run("flame", empty.toString(), "-o", tmp.resolve("e.svg").toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).contains("no stacks found");
        Path zero = tmp.resolve("zero.folded");
        Files.writeString(zero, "a;b 0\n");
        assertThat(Cli.run("flame", zero.toString(), "-o", tmp.resolve("z.svg").toString()).err()).contains("add up to zero");
    }

    @Test
    void truncatedGzipOfPerfScript(@TempDir Path tmp) throws Exception {
        Path src = Fixtures.shared().resolve("conformance/flamegraph/input/perf-vertx-stacks-01.txt");
        Path gz = tmp.resolve("perf.txt.gz");
        try (OutputStream o = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(src, o);
        }
        byte[] all = Files.readAllBytes(gz);
        Files.write(gz, Arrays.copyOf(all, all.length / 2));
        Cli.Run r = Cli.run("collapse", gz.toString(), "-o", tmp.resolve("out").toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).contains("truncated gzip").doesNotContain("Exception");
    }

    @Test
    void gzippedPerfScriptCollapsesLikeThePlainFile(@TempDir Path tmp) throws Exception {
        Path dir = Fixtures.shared().resolve("conformance/flamegraph");
        Path gz = tmp.resolve("perf.txt.gz");
        try (OutputStream o = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(dir.resolve("input/perf-java-stacks-01.txt"), o);
        }
        Path out = tmp.resolve("out");
        assertThat(Cli.run("collapse", "--pid", gz.toString(), "-o", out.toString()).exit()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(dir.resolve("expected/perf-java-stacks-01-collapsed-pid.txt")));
    }

    @Test
    void hugePeriodsAreRefusedNotWrapped() {
        String perf = "a 1 1.0: 9223372036854775807 cycles:\n\tffff f (m)\n\na 1 2.0: 9223372036854775807 cycles:\n\tffff f (m)\n\n";
        assertThatThrownBy(() -> PerfCollapse.collapse(new ByteArrayInputStream(perf.getBytes()), "x",
                PerfCollapse.Options.defaults(), w -> { })).hasMessageContaining("more than 2^63");
    }

    @Test
    void flameAutoDetectsPprofPerfAndFolded(@TempDir Path tmp) throws Exception {
        Path shared = Fixtures.shared().resolve("conformance");
        for (String in : List.of("pprof/sample.cpu", "flamegraph/input/perf-dd-stacks-01.txt",
                "flamegraph/expected/perf-dd-stacks-01-collapsed-default.txt")) {
            Path out = tmp.resolve(new File(in).getName() + ".folded");
            Cli.Run r = Cli.run("flame", "--folded", shared.resolve(in).toString(), "-o", out.toString());
            assertThat(r.exit()).as(in + ": " + r.err()).isZero();
            assertThat(Files.readString(out)).isNotEmpty();
        }
        assertThat(Files.readString(tmp.resolve("sample.cpu.folded")))
                .contains("runtime.main;main.main;main.busyLoop;runtime.mapiternext 1280000000\n");
        assertThat(Files.readString(tmp.resolve("perf-dd-stacks-01.txt.folded")))
                .isEqualTo(Files.readString(shared.resolve("flamegraph/expected/perf-dd-stacks-01-collapsed-default.txt")));
    }
}
