package dev.nodedoctor.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class OomReportParserTest {

    private static List<OomReport> reports(String text) {
        return OomReportParser.parse(KernelLogParser.parse(text).lines());
    }

    /** The memcg OOM made on this machine (README of oom-v1-6.18), in each of the four printers' output. */
    @ParameterizedTest
    @ValueSource(strings = {"kmsg.txt", "dmesg.txt", "dmesg-T.txt", "dmesg-t.txt"})
    void realV1MemcgOomOnThisKernel(String file) {
        List<OomReport> all = reports(KernelLogFixtures.v1Oom618(file));
        assertThat(all).hasSize(1);
        OomReport r = all.get(0);
        assertThat(r.complete()).isTrue();
        assertThat(r.problems()).isEmpty();
        assertThat(r.kind()).isEqualTo(OomReport.Kind.MEMCG);
        assertThat(r.constraint()).isEqualTo("CONSTRAINT_MEMCG");
        assertThat(r.trigger().comm()).isEqualTo("python3");
        assertThat(r.trigger().pid()).isEqualTo(25495);
        assertThat(r.trigger().cpu()).isEqualTo(0);
        assertThat(r.trigger().gfpMask()).isEqualTo("0xcc0");
        assertThat(r.trigger().gfpFlags()).isEqualTo("GFP_KERNEL");
        assertThat(r.trigger().order()).isEqualTo(0);
        assertThat(r.trigger().oomScoreAdj()).isEqualTo(0);
        assertThat(r.kernelRelease()).isEqualTo("6.18.44-fc-v782");
        assertThat(r.oomMemcg()).isEqualTo("/nodedoctor-oom-fixture");
        assertThat(r.taskMemcg()).isEqualTo("/nodedoctor-oom-fixture");
        assertThat(r.cpuset()).isEqualTo("/");
        assertThat(r.memsAllowed()).isEqualTo("0");
        assertThat(r.memory()).isEqualTo(new OomReport.MemoryCounter("memory", 65536, 65536, 30819));
        assertThat(r.counters().get("memory+swap").unlimited()).isTrue();
        assertThat(r.counters().get("kmem").usageKb()).isEqualTo(220);
        assertThat(r.memcgStats()).singleElement().extracting(OomReport.MemcgStats::cgroup).isEqualTo("/nodedoctor-oom-fixture");
        assertThat(r.stats()).containsEntry("rss", 66883584L).containsEntry("cache", 0L)
                .containsEntry("total_inactive_anon", 66846720L).hasSize(42);
        assertThat(r.tasks()).singleElement().isEqualTo(new OomReport.OomTask(25495, 0L, 25495L, 19887L, 16905, 16320L,
                585L, 0L, 196608L, null, 0L, 0, "python3"));
        OomReport.Victim v = r.victim();
        assertThat(v.pid()).isEqualTo(25495);
        assertThat(v.comm()).isEqualTo("python3");
        assertThat(v.memcg()).isTrue();
        assertThat(v.totalVmKb()).isEqualTo(79548);
        assertThat(v.anonRssKb()).isEqualTo(65280);
        assertThat(v.fileRssKb()).isEqualTo(2340);
        assertThat(v.shmemRssKb()).isEqualTo(0);
        assertThat(v.uid()).isEqualTo(0);
        assertThat(v.pgtablesKb()).isEqualTo(192);
        assertThat(v.oomScoreAdj()).isEqualTo(0);
        // the victim's table row (pages × 4 KiB) equals the kill line's anon + file + shmem
        assertThat(r.victimTask().rssBytes()).isEqualTo(v.rssBytes()).isEqualTo(r.sumTaskRssBytes());
        assertThat(r.reaped()).isNull();
        assertThat(r.memInfo()).isNull();
        if (!file.equals("dmesg-t.txt") && !file.equals("dmesg-T.txt")) {
            assertThat(r.uptimeSeconds()).isCloseTo(1898.570498, within(1e-9));
        }
    }

    @Test
    void realV2PodOomOf61InABootLog() {
        List<OomReport> all = reports(KernelLogFixtures.shared("fixtures/cgroup2-debian-6.1/kmsg.txt"));
        assertThat(all).hasSize(1);
        OomReport r = all.get(0);
        assertThat(r.complete()).isTrue();
        assertThat(r.firstLine()).isEqualTo(384);
        assertThat(r.lastLine()).isEqualTo(479);
        assertThat(r.trigger().comm()).isEqualTo("dd");
        assertThat(r.trigger().oomScoreAdj()).isEqualTo(967);
        assertThat(r.kernelRelease()).isEqualTo("6.1.0-56-amd64");
        assertThat(r.memory()).isEqualTo(new OomReport.MemoryCounter("memory", 65536, 65536, 20));
        assertThat(r.counters().get("swap").unlimited()).isTrue();
        assertThat(r.memcgStats().get(0).cgroup())
                .isEqualTo("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-poddf494f48_9b0d_4b0a_a38e_e8ecbcc51690.slice");
        assertThat(r.stats()).containsEntry("anon", 2211840L).containsEntry("file", 64557056L)
                .containsEntry("shmem", 64557056L).containsEntry("workingset_activate_anon", 0L);
        assertThat(r.tasks()).extracting(OomReport.OomTask::name).containsExactly("pause", "api-server", "dd");
        assertThat(r.tasks().get(0).oomScoreAdj()).isEqualTo(-998);
        assertThat(r.oomMemcg()).endsWith("poddf494f48_9b0d_4b0a_a38e_e8ecbcc51690.slice");
        assertThat(r.taskMemcg()).endsWith("cri-containerd-3230f737b03de3d001a61e82d2dcd0845794301a4779370e04fadee8a0e9e5e4.scope");
        assertThat(r.victim().shmemRssKb()).isEqualTo(1580);
        assertThat(r.victim().rssBytes()).isEqualTo((1996 + 4 + 1580) * 1024L);
    }

    @Test
    void globalOomHasMemInfoSummary() {
        OomReport r = reports(KernelLogFixtures.shared("conformance/oom/03-ubuntu-3.13-global-oom-syslog.log")).get(0);
        assertThat(r.kind()).isEqualTo(OomReport.Kind.GLOBAL);
        assertThat(r.memInfo().pages()).containsEntry("active_anon", 405991L).containsEntry("free", 12929L)
                .containsEntry("shmem", 70L).containsEntry("free_cma", 0L);
        assertThat(r.memInfo().freeSwapKb()).isEqualTo(0);
        assertThat(r.memInfo().totalSwapKb()).isEqualTo(0);
        assertThat(r.memInfo().ramPages()).isEqualTo(445340);
        assertThat(r.memInfo().reservedPages()).isEqualTo(10614);
        assertThat(r.victim().score()).isEqualTo(919); // "Kill process 1532 (badsysprogram) score 919 or sacrifice child"
        assertThat(r.cpuset()).isEqualTo("/");

        OomReport rpi = reports(KernelLogFixtures.shared("conformance/oom/13-rpi-6.12-global-oom-no-timestamps.log")).get(0);
        assertThat(rpi.memInfo().pages()).containsEntry("free", 4345L).containsEntry("kernel_misc_reclaimable", 0L);
        assertThat(rpi.memInfo().totalSwapKb()).isEqualTo(425980);
        assertThat(rpi.trigger().pid()).isEqualTo(550);
        assertThat(rpi.victim().pid()).isEqualTo(996);
    }

    @Test
    void ubuntu415PodLimitReportSumsTheContainersLocalStats() {
        // a complete 4.15 report (ieevee.com, see public/README.md): the pod hit its limit, the pod's own
        // one-line stats are all zero and the 254 MiB of anon sit on the container's line
        OomReport r = reports(KernelLogFixtures.publicFile("ubuntu-4.15-kubepods-memcg-syslog.log")).get(0);
        assertThat(r.complete()).isTrue();
        assertThat(r.kernelRelease()).isEqualTo("4.15.0-63-generic");
        assertThat(r.kind()).isEqualTo(OomReport.Kind.MEMCG);
        assertThat(r.constraint()).isNull(); // the oom-kill: summary line arrived in 4.19
        assertThat(r.cpuset()).isEqualTo("beead52e53d4918e7b2820c2712151f2833e4055bc72abc9ea287a02459fc55a");
        assertThat(r.oomMemcg()).isEqualTo("/kubepods/burstable/pod465a9fc1-0de9-44cd-b22c-7e6b23fd75f8");
        assertThat(r.taskMemcg()).isEqualTo(r.oomMemcg() + "/beead52e53d4918e7b2820c2712151f2833e4055bc72abc9ea287a02459fc55a");
        assertThat(r.memory().usageKb()).isEqualTo(262144);
        assertThat(r.memory().failcnt()).isEqualTo(131);
        assertThat(r.counters().get("kmem").usageKb()).isEqualTo(1704);
        assertThat(r.memcgStats()).hasSize(3);
        assertThat(r.memcgStats().get(0).bytes()).containsEntry("rss", 0L);
        assertThat(r.stats()).containsEntry("rss", (40L + 260400) * 1024).containsEntry("active_anon", (40L + 260396) * 1024)
                .containsEntry("cache", 0L);
        assertThat(r.tasks()).extracting(OomReport.OomTask::name).containsExactly("pause", "sleep", "bash", "bash", "calloc");
        assertThat(r.tasks().get(4).pgtablesBytes()).isEqualTo(577536);
        assertThat(r.tasks().get(0).oomScoreAdj()).isEqualTo(-998);
        assertThat(r.sumTaskRssPages()).isEqualTo(1 + 146 + 710 + 690 + 65119);
        assertThat(r.victim().pid()).isEqualTo(28285);
        assertThat(r.victim().score()).isEqualTo(1955);
        assertThat(r.victim().anonRssKb()).isEqualTo(259280);
        assertThat(r.victim().fileRssKb()).isEqualTo(1196);
        assertThat(r.reaped().pid()).isEqualTo(28285);
    }

    @Test
    void v1TotalKeysGiveTheSubtreeFigures() {
        // the 6.18 v1 capture prints both local and total_* keys; stats() reports the hierarchical ones
        OomReport r = reports(KernelLogFixtures.v1Oom618("dmesg.txt")).get(0);
        assertThat(r.stats()).containsEntry("rss", r.memcgStats().get(0).bytes().get("total_rss"));
    }

    @Test
    void oneLineV1StatsAreConvertedToBytes() {
        OomReport r = reports(KernelLogFixtures.shared("conformance/oom/02-ubuntu-3.13-memcg-syslog-nohost.log")).get(0);
        assertThat(r.stats()).containsEntry("rss", 980L * 1024).containsEntry("writeback", 20L * 1024);
        assertThat(r.counters().get("memory+swap").limitKb()).isEqualTo(18014398509481983L);
        assertThat(r.counters().get("memory+swap").unlimited()).isTrue();
        assertThat(r.kernelRelease()).isEqualTo("3.13.0-43-generic");
    }

    @Test
    void reportCutAtBothEndsGivesPartialRecords() {
        // linux-test-project/ltp#1080: RHEL 7 wording, the excerpt starts inside one report and stops at the
        // first line of the next
        List<OomReport> all = reports(KernelLogFixtures.publicFile("ltp-1080-rhel7-memcg-cut.log"));
        assertThat(all).hasSize(2);
        OomReport headless = all.get(0);
        assertThat(headless.complete()).isFalse();
        assertThat(headless.problems()).anyMatch(p -> p.contains("start of the report is missing"));
        assertThat(headless.start()).isNull();
        assertThat(headless.trigger()).isNull();
        assertThat(headless.kind()).isEqualTo(OomReport.Kind.MEMCG);
        assertThat(headless.oomMemcg()).isEqualTo("/0");
        assertThat(headless.memory().failcnt()).isEqualTo(448);
        assertThat(headless.tasks()).extracting(OomReport.OomTask::pid).containsExactly(42421, 42423);
        assertThat(headless.tasks().get(0).nrPtes()).isEqualTo(8);
        assertThat(headless.victim().pid()).isEqualTo(42421);
        assertThat(headless.victim().uid()).isEqualTo(0);
        assertThat(headless.victim().score()).isEqualTo(0);
        assertThat(headless.victim().anonRssKb()).isEqualTo(96);
        assertThat(headless.wallClock()).isEqualTo("Aug 16 20:29:54");

        OomReport cut = all.get(1);
        assertThat(cut.complete()).isFalse();
        assertThat(cut.problems()).anyMatch(p -> p.contains("truncated"));
        assertThat(cut.trigger().comm()).isEqualTo("memcg_test_1");
        assertThat(cut.trigger().gfpMask()).isEqualTo("0xd0");
        assertThat(cut.victim()).isNull();
        assertThat(cut.kind()).isEqualTo(OomReport.Kind.UNKNOWN);
    }

    @Test
    void truncatedReportKeepsWhatItHas() {
        String text = KernelLogFixtures.v1Oom618("dmesg.txt");
        List<String> lines = text.lines().toList();
        String half = String.join("\n", lines.subList(0, 40)) + "\n";
        OomReport r = reports(half).get(0);
        assertThat(r.complete()).isFalse();
        assertThat(r.problems()).singleElement().asString().contains("without a kill line");
        assertThat(r.trigger().comm()).isEqualTo("python3");
        assertThat(r.memory().usageKb()).isEqualTo(65536);
        assertThat(r.victim()).isNull();
        // cut in the middle of a line too
        String mid = text.substring(0, text.indexOf("anon-rss:65280kB") + 5);
        OomReport m = reports(mid).get(0);
        assertThat(m.complete()).isTrue(); // the kill line is there, cut after "anon-"
        assertThat(m.victim().pid()).isEqualTo(25495);
        assertThat(m.victim().anonRssKb()).isEqualTo(0);
    }

    @Test
    void kmsgRecordsLostInsideAReportAreNamed() {
        // drop records 380..389 (ten memory.stat lines) of the real kmsg capture, as a ring overwrite would
        String kept = KernelLogFixtures.v1Oom618("kmsg.txt").lines()
                .filter(l -> !l.matches("^\\d+,38\\d,.*")).reduce("", (x, y) -> x + y + "\n");
        OomReport r = reports(kept).get(0);
        assertThat(r.complete()).isTrue();
        assertThat(r.problems()).singleElement().asString().startsWith("10 kmsg record(s) inside this report were overwritten");
        assertThat(r.victim().pid()).isEqualTo(25495);
    }

    @Test
    void interleavedReportsWithCallerTagsAreSeparatedExactly() {
        List<String> a = tag(KernelLogFixtures.v1Oom618("dmesg.txt"), "T25495");
        List<String> b = tag(oomOf61(), "T207");
        String mixed = String.join("\n", alternate(a, b)) + "\n";
        List<OomReport> all = reports(mixed);
        assertThat(all).hasSize(2);
        OomReport python = all.stream().filter(r -> r.victim().pid() == 25495).findFirst().orElseThrow();
        OomReport dd = all.stream().filter(r -> r.victim().pid() == 207).findFirst().orElseThrow();
        OomReport pythonAlone = reports(String.join("\n", a) + "\n").get(0);
        OomReport ddAlone = reports(String.join("\n", b) + "\n").get(0);
        assertThat(python.tasks()).isEqualTo(pythonAlone.tasks());
        assertThat(python.stats()).isEqualTo(pythonAlone.stats());
        assertThat(dd.tasks()).isEqualTo(ddAlone.tasks());
        assertThat(dd.stats()).isEqualTo(ddAlone.stats());
        assertThat(python.complete()).isTrue();
        assertThat(dd.complete()).isTrue();
        assertThat(python.problems()).isEmpty();
    }

    @Test
    void interleavedReportsWithoutCallerTagsGiveBothVictimsAndSayTheTablesMayMix() {
        List<String> a = KernelLogFixtures.v1Oom618("dmesg.txt").lines().toList();
        List<String> b = oomOf61().lines().toList();
        List<OomReport> all = reports(String.join("\n", alternate(a, b)) + "\n");
        assertThat(all).hasSize(2);
        assertThat(all).extracting(r -> r.victim().pid()).containsExactlyInAnyOrder(25495, 207);
        for (OomReport r : all) {
            assertThat(r.complete()).isTrue();
            assertThat(r.problems()).anyMatch(p -> p.contains("interleaved"));
        }
        OomReport python = all.stream().filter(r -> r.victim().pid() == 25495).findFirst().orElseThrow();
        assertThat(python.trigger().comm()).isEqualTo("python3");
        assertThat(python.trigger().pid()).isEqualTo(25495);
        assertThat(python.memory().failcnt()).isEqualTo(30819);
        assertThat(python.oomMemcg()).isEqualTo("/nodedoctor-oom-fixture");
        OomReport dd = all.stream().filter(r -> r.victim().pid() == 207).findFirst().orElseThrow();
        assertThat(dd.trigger().pid()).isEqualTo(207);
        assertThat(dd.memory().failcnt()).isEqualTo(20);
    }

    @Test
    void unknownLinesInsideAReportAreSkipped() {
        List<String> lines = new ArrayList<>();
        for (String l : KernelLogFixtures.v1Oom618("dmesg.txt").lines().toList()) {
            lines.add(l);
            lines.add("[ 1898.600000] eth0: some unrelated driver chatter = 17 (x)");
            lines.add("complete garbage \u0000\u00ff ]]] [[[ : : ");
        }
        OomReport r = reports(String.join("\n", lines) + "\n").get(0);
        OomReport clean = reports(KernelLogFixtures.v1Oom618("dmesg.txt")).get(0);
        assertThat(r.complete()).isTrue();
        assertThat(r.tasks()).isEqualTo(clean.tasks());
        assertThat(r.stats()).isEqualTo(clean.stats());
        assertThat(r.victim().pid()).isEqualTo(clean.victim().pid());
    }

    @Test
    void emptyGarbageAndHugeInputsGiveNoReportAndNoCrash() {
        assertThat(reports("")).isEmpty();
        assertThat(reports("\u0000\u0001\u0002\n]]]]\n[[[[\n")).isEmpty();
        assertThat(reports("x invoked oom-killer:\n")).singleElement().satisfies(r -> {
            assertThat(r.complete()).isFalse();
            assertThat(r.trigger().comm()).isEqualTo("x");
            assertThat(r.trigger().gfpMask()).isNull();
        });
        // a task table of 200k rows and a kill line
        StringBuilder sb = new StringBuilder("big invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n");
        sb.append("[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n");
        for (int i = 1; i <= 200_000; i++) {
            sb.append("[").append(i).append("]     0 ").append(i).append("     100       2    28672        0             0 t\n");
        }
        sb.append("Out of memory: Killed process 7 (t) total-vm:400kB, anon-rss:8kB, file-rss:0kB, shmem-rss:0kB\n");
        OomReport big = reports(sb.toString()).get(0);
        assertThat(big.tasks()).hasSize(200_000);
        assertThat(big.sumTaskRssPages()).isEqualTo(400_000);
        assertThat(big.complete()).isTrue();
        // a malformed task row is named in problems, not thrown
        OomReport bad = reports("y invoked oom-killer: gfp_mask=0xcc0, order=0, oom_score_adj=0\n"
                + "[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name\n"
                + "[ 12]     0    12     abc\n").get(0);
        assertThat(bad.problems()).anyMatch(p -> p.startsWith("unreadable task row"));
    }

    @Test
    void oomReaperAndOomGroupKillsAttachToTheirReport() {
        OomReport r = reports(KernelLogFixtures.shared("conformance/oom/11-aks-5.15-kubepods-slice-oom-group.log")
                + "May 19 18:14:43 host kernel: [  139.300000] oom_reaper: reaped process 7788 (bash), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n")
                .get(0);
        assertThat(r.groupKills()).hasSize(5);
        assertThat(r.reaped()).isEqualTo(new OomReport.Reaped(7788, "bash", 0, 0, 0));
    }

    private static String oomOf61() {
        List<String> all = KernelLogFixtures.shared("fixtures/cgroup2-debian-6.1/kmsg.txt").lines().toList();
        return String.join("\n", all.subList(383, 479)) + "\n";
    }

    /** Adds a CONFIG_PRINTK_CALLER tag after the timestamp, as the kernel console prints it. */
    private static List<String> tag(String dmesg, String caller) {
        return dmesg.lines().map(l -> l.replaceFirst("^(\\[[ 0-9.]+\\])", "$1[" + caller + "]")).toList();
    }

    private static List<String> alternate(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            if (i < a.size()) {
                out.add(a.get(i));
            }
            if (i < b.size()) {
                out.add(b.get(i));
            }
        }
        return out;
    }
}
