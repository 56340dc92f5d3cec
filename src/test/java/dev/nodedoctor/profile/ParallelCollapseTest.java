package dev.nodedoctor.profile;

import dev.nodedoctor.testkit.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A file collapsed in parts on several threads gives what one pass gives: the same stacks and counts, the same
 * warnings in the same order, the same error. Parts are forced small here (a few hundred bytes) so that real
 * captures are cut in many places: in samples of both event types, after unrecognised lines, near the end.
 */
class ParallelCollapseTest {
    @TempDir
    Path tmp;

    record Result(String folded, List<String> warnings) {
    }

    static Result sequential(Path file, PerfCollapse.Options o) throws Exception {
        List<String> warnings = new ArrayList<>();
        FoldedStacks f;
        try (InputStream in = Files.newInputStream(file)) {
            f = PerfCollapse.collapse(in, "in", o, warnings::add);
        }
        return new Result(text(f), warnings);
    }

    static Result parallel(Path file, PerfCollapse.Options o, int threads, long minPart) throws Exception {
        List<String> warnings = new ArrayList<>();
        FoldedStacks f = ParallelCollapse.collapse(file, "in", o, threads, minPart, warnings::add);
        return new Result(text(f), warnings);
    }

    static String text(FoldedStacks f) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        f.write(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    static List<Object[]> conformanceCases() {
        return PerfCollapseConformanceTest.cases().map(a -> a.get()).toList();
    }

    /** Every real capture of FlameGraph's suite, every option, cut into 2..9 parts: the script's own output. */
    @ParameterizedTest(name = "{0} --{1}")
    @MethodSource("conformanceCases")
    void partsGiveTheScriptsOutput(String name, String opt) throws Exception {
        Path in = PerfCollapseConformanceTest.dir().resolve("input/" + name + ".txt");
        String expected = Files.readString(PerfCollapseConformanceTest.dir().resolve("expected/" + name + "-collapsed-" + opt + ".txt"),
                StandardCharsets.ISO_8859_1);
        long size = Files.size(in);
        Result one = sequential(in, PerfCollapseConformanceTest.options(opt));
        for (int threads : new int[] {2, 3, 9}) {
            Result many = parallel(in, PerfCollapseConformanceTest.options(opt), threads, Math.max(1, size / threads / 2));
            assertThat(many.folded()).as("%d threads", threads).isEqualTo(expected);
            assertThat(many.warnings()).as("%d threads", threads).isEqualTo(one.warnings());
        }
    }

    /**
     * This machine's capture with two event types (cpu-clock first, then task-clock): every part keeps the
     * file's first type, and the one "Filtering for events of type" line is the one a single pass prints.
     */
    @Test
    void twoEventTypesKeepTheFilesFirst() throws Exception {
        Path in = unzipped("perf-system-2events.txt.gz");
        Path dir = Path.of("src/test/resources/fixtures/perf-debian-6.18");
        for (int threads : new int[] {2, 4, 16}) {
            Result many = parallel(in, PerfCollapse.Options.defaults(), threads, 1);
            assertThat(many.folded()).isEqualTo(Files.readString(dir.resolve("expected-default.txt"), StandardCharsets.ISO_8859_1));
            assertThat(many.warnings()).containsExactly("Filtering for events of type: task-clock");
            PerfCollapse.Options chosen = new PerfCollapse.Options(false, false, true, false, false, "task-clock");
            assertThat(parallel(in, chosen, threads, 1).folded())
                    .isEqualTo(Files.readString(dir.resolve("expected-event-task-clock-kernel.txt"), StandardCharsets.ISO_8859_1));
        }
    }

    /**
     * A file whose first megabyte names no event type (perf 3.2's records: "java 3244 cpu-clock:" without a
     * period) followed by a capture that names two: parts guess from what they meet, and the ones that met the
     * second type first are parsed again. Same output and warnings as one pass.
     */
    @Test
    void eventTypeFoundOnlyAfterTheHead() throws Exception {
        Path vertx = PerfCollapseConformanceTest.dir().resolve("input/perf-vertx-stacks-01.txt");
        Path twoEvents = unzipped("perf-system-2events.txt.gz");
        Path in = tmp.resolve("mixed.txt");
        try (OutputStream out = Files.newOutputStream(in)) {
            Files.copy(vertx, out);
            Files.copy(vertx, out);
            out.write('\n');
            Files.copy(twoEvents, out);
        }
        Result one = sequential(in, PerfCollapse.Options.defaults());
        assertThat(one.warnings()).contains("Filtering for events of type: task-clock");
        for (int threads : new int[] {2, 5, 40}) {
            assertThat(parallel(in, PerfCollapse.Options.defaults(), threads, 1)).isEqualTo(one);
        }
    }

    /** Unrecognised lines in many parts: the first 20 in file order, then the count of the rest. */
    @Test
    void unrecognisedLinesAreReportedInFileOrder() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            b.append("app ").append(1000 + i).append(" cycles: \n");
            b.append("\tffffffff8100 do_work (/lib/modules/vmlinux)\n");
            b.append("\tgarbage frame line number ").append(i).append('\n');
            b.append("\t5555 main (/usr/bin/app)\n\n");
        }
        Path in = tmp.resolve("garbage.txt");
        Files.writeString(in, b, StandardCharsets.ISO_8859_1);
        Result one = sequential(in, PerfCollapse.Options.defaults());
        assertThat(one.warnings()).hasSize(21).last().isEqualTo("... 40 more unrecognized lines");
        for (int threads : new int[] {2, 3, 7, 30}) {
            assertThat(parallel(in, PerfCollapse.Options.defaults(), threads, 1)).isEqualTo(one);
        }
    }

    /** A line over the 16 MiB limit in a later part: the error names the line number in the whole file. */
    @Test
    void aTooLongLineIsNumberedInTheWholeFile() throws Exception {
        Path vertx = PerfCollapseConformanceTest.dir().resolve("input/perf-vertx-stacks-01.txt");
        Path in = tmp.resolve("long-line.txt");
        try (OutputStream out = Files.newOutputStream(in)) {
            Files.copy(vertx, out);
            out.write('\n');
            out.write(new byte[ByteLines.DEFAULT_MAX_LINE + 2 * ByteLines.BLOCK]); // one line of NULs
            out.write('\n');
        }
        ProfileFormatException one = catchThrowableOfType(() -> sequential(in, PerfCollapse.Options.defaults()),
                ProfileFormatException.class);
        assertThat(one).hasMessageContaining("is longer than 16 MiB");
        for (int threads : new int[] {2, 4}) {
            assertThatThrownBy(() -> parallel(in, PerfCollapse.Options.defaults(), threads, 1))
                    .isInstanceOf(ProfileFormatException.class).hasMessage(one.getMessage());
        }
    }

    /** Periods that sum past 2^63 only across parts are refused as in one pass, not wrapped. */
    @Test
    void hugePeriodsAcrossPartsAreRefused() throws Exception {
        Path in = tmp.resolve("huge.txt");
        Files.writeString(in, "a 1 1.0: 9223372036854775807 cycles:\n\tffff f (m)\n\n".repeat(4));
        assertThatThrownBy(() -> parallel(in, PerfCollapse.Options.defaults(), 4, 1)).hasMessageContaining("more than 2^63");
    }

    /**
     * The command on a file large enough for two parts (70 MB: 67 copies of the vertx capture): the same bytes
     * with --threads 2 as with --threads 1, from a stream (one pass) and from `flame --folded`; --threads 0 is a
     * usage error.
     */
    @Test
    void commandGivesTheSameBytesOnAnyNumberOfThreads() throws Exception {
        Path vertx = PerfCollapseConformanceTest.dir().resolve("input/perf-vertx-stacks-01.txt");
        Path in = tmp.resolve("big.txt");
        try (OutputStream out = Files.newOutputStream(in)) {
            for (int i = 0; i < 67; i++) {
                Files.copy(vertx, out);
            }
        }
        assertThat(Files.size(in)).isGreaterThan(2 * ParallelCollapse.MIN_PART);
        for (String j : List.of("1", "2")) {
            Cli.Run r = Cli.run("collapse", "--threads", j, in.toString(), "-o", tmp.resolve("out" + j).toString());
            assertThat(r.exit()).as(r.err()).isZero();
        }
        assertThat(Files.readAllBytes(tmp.resolve("out2"))).isEqualTo(Files.readAllBytes(tmp.resolve("out1")));
        List<String> none = new ArrayList<>();
        FoldedStacks f;
        try (InputStream s = Files.newInputStream(in)) {
            f = PerfCollapse.collapse(s, "stdin", PerfCollapse.Options.defaults(), none::add);
        }
        assertThat(text(f)).isEqualTo(Files.readString(tmp.resolve("out2"), StandardCharsets.ISO_8859_1));
        // flame reads a perf script file the same way (its --folded output is the collapse output)
        Cli.Run flame = Cli.run("flame", "--folded", in.toString(), "-o", tmp.resolve("flame").toString());
        assertThat(flame.exit()).as(flame.err()).isZero();
        assertThat(Files.readAllBytes(tmp.resolve("flame"))).isEqualTo(Files.readAllBytes(tmp.resolve("out2")));
        Cli.Run zero = Cli.run("collapse", "--threads", "0", in.toString());
        assertThat(zero.exit()).isEqualTo(2);
        assertThat(zero.err()).contains("--threads must be at least 1");
    }

    /** A file whose size says 0 but which has content (as /proc files do) is read to its end in one part. */
    @Test
    void aFileOfSizeZeroIsReadToItsEnd() throws Exception {
        Path proc = Path.of("/proc/self/status");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(proc) && Files.size(proc) == 0,
                "needs Linux /proc, whose files have size 0");
        List<String> warnings = new ArrayList<>();
        ParallelCollapse.collapse(proc, "status", PerfCollapse.Options.defaults(), 4, 1, warnings::add);
        assertThat(warnings).as("its lines were read and not recognised as perf script").isNotEmpty();
    }

    /**
     * Several files, as the script's arguments: read one after the other as one stream (one gzipped here), the
     * same bytes as collapsing their concatenation; a missing one is an error before any output.
     */
    @Test
    void severalFilesAreOneStream() throws Exception {
        Path a = PerfCollapseConformanceTest.dir().resolve("input/perf-dd-stacks-01.txt");
        Path b = PerfCollapseConformanceTest.dir().resolve("input/perf-cycles-instructions-01.txt");
        Path bz = tmp.resolve("b.txt.gz");
        try (OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(bz))) {
            Files.copy(b, out);
        }
        Path both = tmp.resolve("both.txt");
        try (OutputStream out = Files.newOutputStream(both)) {
            Files.copy(a, out);
            Files.copy(b, out);
        }
        Cli.Run two = Cli.run("collapse", a.toString(), bz.toString(), "-o", tmp.resolve("two").toString());
        assertThat(two.exit()).as(two.err()).isZero();
        assertThat(Files.readString(tmp.resolve("two"), StandardCharsets.ISO_8859_1))
                .isEqualTo(sequential(both, PerfCollapse.Options.defaults()).folded())
                .startsWith("dd;");
        // the first file's event type is kept for the second too: its other type is dropped, as in one stream
        assertThat(two.err()).contains("Filtering for events of type: instructions");
        Cli.Run missing = Cli.run("collapse", a.toString(), tmp.resolve("nope.txt").toString(), "-o", tmp.resolve("x").toString());
        assertThat(missing.exit()).isEqualTo(3);
        assertThat(missing.err()).contains("nope.txt: no such file");
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    /** Parts start right after a blank line (a sample's end), and a file without one is a single part. */
    @Test
    void partsStartAfterBlankLines() throws Exception {
        Path in = tmp.resolve("b.txt");
        Files.writeString(in, "a 1 e:\n\tf\n\nb 2 e:\n\tg\n\nc 3 e:\n\th\n");
        try (FileChannel ch = FileChannel.open(in)) {
            long[] b = ParallelCollapse.bounds(ch, ch.size(), 3);
            assertThat(b).containsExactly(0, 11, 22, ch.size());
            byte[] all = Files.readAllBytes(in);
            for (int i = 1; i < b.length - 1; i++) {
                assertThat(all[(int) b[i] - 1]).isEqualTo((byte) '\n');
                assertThat(all[(int) b[i] - 2]).isEqualTo((byte) '\n');
            }
        }
        Path none = tmp.resolve("none.txt");
        Files.writeString(none, "a 1 e:\n\tf\nb 2 e:\n\tg\n");
        try (FileChannel ch = FileChannel.open(none)) {
            assertThat(ParallelCollapse.bounds(ch, ch.size(), 4)).containsExactly(0, ch.size());
        }
    }

    private Path unzipped(String name) throws IOException {
        Path out = tmp.resolve(name.replace(".gz", ""));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(Path.of("src/test/resources/fixtures/perf-debian-6.18", name)))) {
            Files.copy(in, out);
        }
        return out;
    }
}
