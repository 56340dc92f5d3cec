package dev.nodedoctor.kernel;

import dev.nodedoctor.sys.KernelFiles;
import dev.nodedoctor.testkit.Fixtures;
import dev.nodedoctor.testkit.ScratchCgroups;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class KmsgReaderTest {

    /**
     * A real memcg OOM kill, made here: a 32 MiB v1 memory cgroup and a python that allocates until the
     * kernel kills it. KmsgReader must find the report in /dev/kmsg with the cgroup, the limit and the victim.
     */
    @Test
    void findsAnOomKillItJustCaused() throws Exception {
        assumeTrue(Fixtures.isRoot(), "needs root to create a memory cgroup and read /dev/kmsg");
        assumeTrue(Files.isWritable(Path.of("/sys/fs/cgroup/memory/cgroup.procs")), "needs the v1 memory controller at /sys/fs/cgroup/memory");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs /usr/bin/python3 as the allocating child");
        try (ScratchCgroups cg = new ScratchCgroups()) {
            String path = cg.create("oom", "memory");
            cg.write("memory", path, "memory.limit_in_bytes", Long.toString(32L << 20));
            if (Files.exists(Path.of("/sys/fs/cgroup/memory" + path, "memory.memsw.limit_in_bytes"))) {
                cg.write("memory", path, "memory.memsw.limit_in_bytes", Long.toString(32L << 20)); // no escape into swap
            }
            Process p = cg.start(path, "/usr/bin/python3 -c 'b=[]\nwhile True: b.append(bytearray(1<<20))'", "memory");
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the child is killed").isTrue();
            assertThat(p.exitValue()).isEqualTo(137);
            long pid = p.pid(); // sh execs python: same pid

            try (KernelFiles files = KernelFiles.live()) {
                KernelLog log = new KmsgReader(files).read();
                KernelLogScan scan = KernelLogScan.of(log, KernelEventRules.builtIn());
                OomReport r = scan.oomReports().stream()
                        .filter(o -> o.victim() != null && o.victim().pid() == pid).reduce((a, b) -> b).orElseThrow();
                assertThat(r.complete()).isTrue();
                assertThat(r.kind()).isEqualTo(OomReport.Kind.MEMCG);
                assertThat(r.constraint()).isEqualTo("CONSTRAINT_MEMCG");
                assertThat(r.oomMemcg()).isEqualTo(path);
                assertThat(r.taskMemcg()).isEqualTo(path);
                assertThat(r.memory().limitKb()).isEqualTo(32 * 1024);
                assertThat(r.trigger().comm()).isEqualTo("python3");
                assertThat(r.victim().comm()).isEqualTo("python3");
                assertThat(r.victimTask().rssBytes()).isEqualTo(r.victim().rssBytes());
                assertThat(r.start().format()).isEqualTo(KernelLogLine.Format.KMSG);
                assertThat(scan.events()).anyMatch(e -> e.kind().equals("oom-kill-memcg")
                        && e.fields().get("pid").equals(Long.toString(pid)));
            }
        }
    }

    @Test
    void aSavedKmsgUnderRootIsReadToItsEnd(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("dev"));
        Files.copy(KernelLogFixtures.OWN.resolve("oom-v1-6.18/kmsg.txt"), root.resolve("dev/kmsg"));
        try (KernelFiles files = KernelFiles.at(root, Duration.ofSeconds(1))) {
            KernelLog log = new KmsgReader(files).read();
            assertThat(log.lines()).hasSize(488 - 68);
            assertThat(OomReportParser.parse(log.lines())).singleElement()
                    .satisfies(r -> assertThat(r.victim().pid()).isEqualTo(25495));
        }
    }
}
