package dev.nodedoctor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nodedoctor.testkit.Cli;
import dev.nodedoctor.trace.StraceFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** `nodedoctor strace parse` on the real fixtures: text, JSON, exit codes, bad files. */
class StraceParseCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path unpacked(String fixture) throws Exception {
        Path f = tmp.resolve(fixture.replace(".gz", ""));
        Files.write(f, StraceFixtures.bytes(fixture));
        return f;
    }

    @Test
    void textReportOfATimedWaitLoop() throws Exception {
        Cli.Run r = Cli.run("strace", "parse", unpacked("futex-C-f-tt-T.txt.gz").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("syscall", "futex", "ETIMEDOUT 1191", "futex waits: 1191", "thread",
                "1. WARNING syscall.futex-timeouts", "more: nodedoctor explain syscall.futex-timeouts");
        assertThat(Cli.run("strace", "parse", unpacked("futex-C-f-tt-T.txt.gz").toString(), "--fail-on", "warning")
                .exit()).isEqualTo(1);
    }

    @Test
    void jsonOfACountTable() throws Exception {
        Cli.Run r = Cli.run("strace", "parse", StraceFixtures.dir().resolve("bash-c-f.txt").toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode doc = JSON.readTree(r.out());
        assertThat(doc.get("trace").get("tableStats").size()).isEqualTo(40);
        assertThat(doc.get("trace").get("lineStats").size()).isZero();
        assertThat(doc.get("findings").size()).isZero();
    }

    @Test
    void badFiles() throws Exception {
        Cli.Run missing = Cli.run("strace", "parse", tmp.resolve("nope.txt").toString());
        assertThat(missing.exit()).isEqualTo(3);
        assertThat(missing.err()).contains("no such file");
        Path garbage = Files.write(tmp.resolve("garbage"), "hello\nworld\n".getBytes());
        Cli.Run g = Cli.run("strace", "parse", garbage.toString());
        assertThat(g.exit()).isEqualTo(3);
        assertThat(g.err().lines()).hasSize(1);
        assertThat(g.err()).contains("no strace output");
        Path empty = Files.write(tmp.resolve("empty"), new byte[0]);
        assertThat(Cli.run("strace", "parse", empty.toString()).exit()).isEqualTo(3);
        // cut in the middle of a line: a partial summary and a note, not an error
        byte[] all = StraceFixtures.bytes("gitlab-strace4-f-tt-T-y.txt.gz");
        Path cut = Files.write(tmp.resolve("cut"), Arrays.copyOf(all, all.length / 3 + 5));
        Cli.Run c = Cli.run("strace", "parse", cut.toString());
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out()).contains("Notes:", "incomplete");
    }

    @Test
    void concatenatedTracesAreNoted() throws Exception {
        byte[] a = StraceFixtures.bytes("gitlab-strace4-f-tt-T-y.txt.gz");
        byte[] b = StraceFixtures.bytes("futex-C-f-tt-T.txt.gz");
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        Path f = Files.write(tmp.resolve("both"), both);
        JsonNode doc = JSON.readTree(Cli.run("strace", "parse", f.toString(), "--json").out());
        // 11.0 s of the GitLab trace + 0.99 s of the futex one; the 3.8 h gap between them is not counted
        assertThat(doc.get("trace").get("seconds").asDouble()).isBetween(11.9, 12.1);
        assertThat(doc.get("trace").get("notes").toString()).contains("timestamps jump 1 time");
    }
}
