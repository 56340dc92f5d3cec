package dev.nodedoctor.host;

import dev.nodedoctor.sys.KernelFileException;
import dev.nodedoctor.sys.KernelFiles;
import dev.nodedoctor.sys.Parser;
import dev.nodedoctor.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The procfs parsers on two real trees: the pure-v2 Debian 6.1 VM (values listed in its README) and the
 * hybrid 6.18 build machine (values cross-checked against the raw text with independent splitting here).
 */
class ProcfsParsersTest {

    private static <T> T parse(Parser<T> p, String text) throws Parser.MalformedException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return p.parse(b, b.length);
    }

    private static <T> T read(Path root, String path, Parser<T> p) throws KernelFileException {
        try (KernelFiles files = KernelFiles.at(root, Duration.ofSeconds(2))) {
            return files.read(path, p);
        }
    }

    @Test
    void procStatOfTheV2Node() throws Exception {
        ProcStat s = read(Fixtures.v2Root(), "/proc/stat", ProcStat.PARSER);
        // "cpu  2165 0 1011 553 0 0 23 0 0 0" in the capture
        assertThat(s.all().user()).isEqualTo(2165);
        assertThat(s.all().system()).isEqualTo(1011);
        assertThat(s.all().idle()).isEqualTo(553);
        assertThat(s.all().softirq()).isEqualTo(23);
        assertThat(s.perCpu()).extracting(CpuTimes::cpu).containsExactly("cpu0", "cpu1");
        assertThat(s.contextSwitches()).isEqualTo(13910);
    }

    @Test
    void procStatOfTheHybridNodeMatchesAPlainSplit() throws Exception {
        Path root = Fixtures.v1Root();
        String text = Fixtures.read(root, "/proc/stat");
        String[] cpu = text.lines().filter(l -> l.startsWith("cpu ")).findFirst().orElseThrow().trim().split("\\s+");
        ProcStat s = read(root, "/proc/stat", ProcStat.PARSER);
        assertThat(s.all().user()).isEqualTo(Long.parseLong(cpu[1]));
        assertThat(s.all().steal()).isEqualTo(Long.parseLong(cpu[8]));
        assertThat(s.perCpu()).hasSize((int) text.lines().filter(l -> l.matches("cpu\\d+ .*")).count());
        assertThat(s.bootTimeSeconds()).isPositive();
    }

    @Test
    void loadavgAndPressure() throws Exception {
        LoadAvg l = read(Fixtures.v2Root(), "/proc/loadavg", LoadAvg.PARSER);
        assertThat(l.one()).isEqualTo(0.65);
        assertThat(l.runnable()).isEqualTo(2);
        assertThat(l.threads()).isEqualTo(100);
        assertThat(l.lastPid()).isEqualTo(1556);
        Pressure p = read(Fixtures.v2Root(), "/proc/pressure/cpu", Pressure.PARSER);
        assertThat(p.some().avg10()).isEqualTo(41.02);
        assertThat(p.some().avg300()).isEqualTo(3.24);
        assertThat(p.some().totalMicros()).isEqualTo(9794092);
        assertThat(p.full().totalMicros()).isZero();
    }

    @Test
    void processFilesOfTheGuaranteedBusyLoop() throws Exception {
        Path root = Fixtures.v2Root();
        ProcessStat st = read(root, "/proc/198/stat", ProcessStat.PARSER);
        assertThat(st.pid()).isEqualTo(198);
        assertThat(st.comm()).isEqualTo("cpu-burner");
        assertThat(st.state()).isEqualTo('R');
        assertThat(st.ppid()).isEqualTo(1);
        assertThat(st.userTicks()).isEqualTo(856);
        assertThat(st.systemTicks()).isEqualTo(17);
        assertThat(st.threads()).isEqualTo(1);
        assertThat(st.startTicks()).isEqualTo(331);
        ProcessStatus status = read(root, "/proc/198/status", ProcessStatus.PARSER);
        assertThat(status.name()).isEqualTo("cpu-burner");
        assertThat(status.involuntaryContextSwitches()).isEqualTo(1476);
        assertThat(status.voluntaryContextSwitches()).isZero();
        assertThat(status.vmRssKb()).isEqualTo(4);
        SchedStat sched = read(root, "/proc/198/schedstat", SchedStat.PARSER);
        assertThat(sched.runNanos()).isEqualTo(8745181529L);
        assertThat(sched.waitNanos()).isEqualTo(9112300997L);
        assertThat(sched.timeslices()).isEqualTo(1476);
        List<CgroupMembership> cg = read(root, "/proc/198/cgroup", CgroupMembership.PARSER);
        assertThat(cg).singleElement().satisfies(m -> {
            assertThat(m.isUnified()).isTrue();
            assertThat(m.path()).endsWith("cri-containerd-82d09898ea003cbf23a5fd036c36c9d616ac203ed0ca1504788be5ab14e37e3a.scope");
        });
    }

    @Test
    void everyProcessOfBothTreesParses() throws Exception {
        for (Path root : List.of(Fixtures.v2Root(), Fixtures.v1Root())) {
            try (KernelFiles files = KernelFiles.at(root, Duration.ofSeconds(2))) {
                int n = 0;
                for (String name : files.list("/proc")) {
                    if (!name.matches("\\d+") || !files.exists("/proc/" + name + "/stat")) {
                        continue;
                    }
                    ProcessStat st = files.read("/proc/" + name + "/stat", ProcessStat.PARSER);
                    assertThat(st.pid()).isEqualTo(Integer.parseInt(name));
                    String raw = files.readText("/proc/" + name + "/stat");
                    // an independent reading of utime (field 14) after the last ')'
                    String[] after = raw.substring(raw.lastIndexOf(')') + 2).trim().split(" ");
                    assertThat(st.userTicks()).isEqualTo(Long.parseLong(after[11]));
                    assertThat(st.threads()).isEqualTo(Long.parseLong(after[17]));
                    files.read("/proc/" + name + "/status", ProcessStatus.PARSER);
                    n++;
                }
                assertThat(n).as("processes in %s", root).isGreaterThan(10);
            }
        }
    }

    @Test
    void hybridMountinfoHasV1ControllersAndTheUnifiedMount() throws Exception {
        List<Mount> mounts = read(Fixtures.v1Root(), "/proc/self/mountinfo", Mount.PARSER);
        assertThat(mounts).anySatisfy(m -> {
            assertThat(m.fsType()).isEqualTo("cgroup2");
            assertThat(m.mountPoint()).isEqualTo("/sys/fs/cgroup/unified");
        });
        assertThat(mounts).anySatisfy(m -> {
            assertThat(m.fsType()).isEqualTo("cgroup");
            assertThat(m.mountPoint()).isEqualTo("/sys/fs/cgroup/cpu");
            assertThat(m.superOptionList()).contains("cpu");
        });
    }

    @Test
    void commNamesWithSpacesAndParenthesesSurvive() throws Exception {
        // the kernel prints comm raw: "(tmux: server)" or "(a) b)" are both possible
        ProcessStat st = parse(ProcessStat.PARSER,
                "4242 (a) b) S 1 4242 4242 0 -1 4194560 100 0 0 0 7 3 0 0 20 0 2 0 999 1000 10 1 1 1 1 1 1 0 0 0 0 0 0 0 17 1 0 0 5\n");
        assertThat(st.comm()).isEqualTo("a) b");
        assertThat(st.userTicks()).isEqualTo(7);
        assertThat(st.systemTicks()).isEqualTo(3);
        assertThat(st.processor()).isEqualTo(1);
        assertThat(st.blkioDelayTicks()).isEqualTo(5);
    }

    @Test
    void mountPointsWithEscapedSpaces() throws Exception {
        List<Mount> m = parse(Mount.PARSER, "36 25 0:31 / /mnt/my\\040disk rw shared:1 - ext4 /dev/sda1 rw\n");
        assertThat(m).singleElement().satisfies(x -> {
            assertThat(x.mountPoint()).isEqualTo("/mnt/my disk");
            assertThat(x.fsType()).isEqualTo("ext4");
        });
    }

    @Test
    void badInputIsMalformedNotACrash() {
        assertThatThrownBy(() -> parse(ProcStat.PARSER, "intr 1 2 3\n")).isInstanceOf(Parser.MalformedException.class)
                .hasMessageContaining("no 'cpu' line");
        assertThatThrownBy(() -> parse(ProcessStat.PARSER, "123 (trunc")).isInstanceOf(Parser.MalformedException.class);
        assertThatThrownBy(() -> parse(ProcessStat.PARSER, "123 (x) S 1 2")).isInstanceOf(Parser.MalformedException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> parse(SchedStat.PARSER, "")).isInstanceOf(Parser.MalformedException.class);
        assertThatThrownBy(() -> parse(Pressure.PARSER, "full avg10=0.00\n")).isInstanceOf(Parser.MalformedException.class);
        assertThatThrownBy(() -> parse(CgroupMembership.PARSER, "nonsense\n")).isInstanceOf(Parser.MalformedException.class);
        assertThatThrownBy(() -> parse(Mount.PARSER, "1 2 3\n")).isInstanceOf(Parser.MalformedException.class);
        assertThatThrownBy(() -> parse(LoadAvg.PARSER, "0.1 0.2\n")).isInstanceOf(Parser.MalformedException.class);
    }

    @Test
    void oldKernelsWithFewerCpuColumnsStillParse() throws Exception {
        // 2.6.18-era /proc/stat: no steal, guest or guest_nice columns
        ProcStat s = parse(ProcStat.PARSER, "cpu  10 1 5 100 2 0 1\ncpu0 10 1 5 100 2 0 1\nctxt 5\n");
        assertThat(s.all().steal()).isZero();
        assertThat(s.all().total()).isEqualTo(119);
    }
}
