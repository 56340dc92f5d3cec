package dev.nodedoctor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nodedoctor.testkit.Cli;
import dev.nodedoctor.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class KernelLogCommandTest {
    private static final String DMESG = "src/test/resources/fixtures/kernel-log/oom-v1-6.18/dmesg.txt";

    @Test
    void listsTheEventsAndTheOomReportOfASavedDmesg() {
        Cli.Run r = Cli.run("kernel-log", DMESG);
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("TIME", "KIND", "1898.570498", "oom-invoked", "oom-constraint", "oom-kill-memcg",
                "OOM memcg: killed 25495 (python3) limit of /nodedoctor-oom-fixture 65536kB/65536kB, lines 1-81");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void jsonHasEventsAndReports() throws Exception {
        Cli.Run r = Cli.run("kernel-log", "--json", Fixtures.shared().resolve("conformance/oom/11-aks-5.15-kubepods-slice-oom-group.log").toString());
        assertThat(r.exit()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.get("oomReports")).hasSize(1);
        JsonNode rep = doc.get("oomReports").get(0);
        assertThat(rep.get("victim").get("pid").asInt()).isEqualTo(7788);
        assertThat(rep.get("oomMemcg").asText()).isEqualTo("/kubepods.slice");
        assertThat(rep.get("groupKills")).hasSize(5);
        assertThat(rep.get("tasks")).hasSize(28);
        assertThat(doc.get("events").get(0).get("kind").asText()).isEqualTo("oom-invoked");
    }

    @Test
    void kindFiltersByKindOrGroup(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("mixed.log");
        StringBuilder sb = new StringBuilder();
        for (String row : Files.readAllLines(Path.of("src/test/resources/fixtures/kernel-log/public/events.tsv"))) {
            if (!row.startsWith("#")) {
                sb.append(row.split("\t", 3)[2]).append('\n');
            }
        }
        Files.writeString(log, sb);
        Cli.Run hung = Cli.run("kernel-log", "--kind", "hung-task", log.toString());
        assertThat(hung.exit()).isZero();
        assertThat(hung.out().lines().filter(l -> l.contains(" hung-task ")).count()).isEqualTo(5);
        assertThat(hung.out()).doesNotContain("soft-lockup", "OOM ");
        Cli.Run two = Cli.run("kernel-log", "--kind", "rcu-stall,page-allocation-failure", log.toString());
        assertThat(two.out().lines().filter(l -> l.contains(" rcu-stall ") || l.contains(" page-allocation-failure ")).count()).isEqualTo(7);
    }

    @Test
    void badKindMissingFileAndDirectoryAreOneLineErrors(@TempDir Path tmp) {
        Cli.Run bad = Cli.run("kernel-log", "--kind", "oops", DMESG);
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).startsWith("nodedoctor: error: --kind oops: unknown").doesNotContain("\tat ");
        Cli.Run missing = Cli.run("kernel-log", tmp.resolve("nope.log").toString());
        assertThat(missing.exit()).isEqualTo(3);
        assertThat(missing.err().strip()).endsWith("nope.log: no such file");
        Cli.Run dir = Cli.run("kernel-log", tmp.toString());
        assertThat(dir.exit()).isEqualTo(3);
    }

    @Test
    void garbageAndEmptyFilesAreNotErrors(@TempDir Path tmp) throws Exception {
        Path junk = tmp.resolve("junk.bin");
        byte[] bytes = new byte[100_000];
        new java.util.Random(7).nextBytes(bytes);
        Files.write(junk, bytes);
        Cli.Run r = Cli.run("kernel-log", junk.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("no matching kernel events in");
        Path empty = Files.writeString(tmp.resolve("empty.log"), "");
        assertThat(Cli.run("kernel-log", empty.toString()).out()).contains("(0 lines)");
    }

    @Test
    void liveKmsgAsRootWorks() {
        assumeTrue(Fixtures.isRoot(), "needs root to read /dev/kmsg");
        Cli.Run r = Cli.run("kernel-log", "--json");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("\"source\":\"/dev/kmsg\"");
    }

    @Test
    void kmsgWithoutCapSyslogSaysWhatIsNeeded(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/sys/kernel/dmesg_restrict"))
                && Files.readString(Path.of("/proc/sys/kernel/dmesg_restrict")).strip().equals("1"),
                "needs kernel.dmesg_restrict=1 so that an unprivileged user cannot read /dev/kmsg");
        Cli.Run r = Cli.runAsNobody(tmp, "kernel-log");
        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.err().strip()).startsWith("nodedoctor: error: /dev/kmsg: permission denied")
                .contains("CAP_SYSLOG", "kernel.dmesg_restrict=1", "kernel-log FILE");
        assertThat(r.err().lines().count()).isEqualTo(1);
    }
}
