package dev.nodedoctor.trace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The parser on real strace 6.1 and 4.x outputs; expected values from strace's own -c table or grep. */
class StraceParserTest {

    /** With -C strace counts the same calls twice: its table is the reference for what we read from lines. */
    @ParameterizedTest
    @ValueSource(strings = {"futex-C-f-tt-T.txt.gz", "java-park-C-f-ttt-T.txt.gz", "read-cgroup-C-tt-T.txt.gz"})
    void linesAgreeWithStracesOwnTable(String fixture) {
        TraceSummary t = StraceFixtures.parse(fixture);
        assertThat(t.tableStats()).isNotEmpty();
        assertThat(t.unparsed()).isZero();
        Map<String, SyscallStats> fromLines = t.lineStats().stream()
                .collect(Collectors.toMap(SyscallStats::name, s -> s));
        for (SyscallStats row : t.tableStats()) {
            SyscallStats ours = fromLines.get(row.name());
            assertThat(ours).as(row.name()).isNotNull();
            assertThat(ours.calls()).as(row.name() + " calls").isEqualTo(row.calls());
            assertThat(ours.errors()).as(row.name() + " errors").isEqualTo(row.errors());
        }
        assertThat(t.lineStats()).hasSameSizeAs(t.tableStats());
    }

    @Test
    void futexTimedWaitLoopInC() {
        TraceSummary t = StraceFixtures.parse("futex-C-f-tt-T.txt.gz");
        SyscallStats futex = t.syscalls().get(0);
        assertThat(futex.name()).isEqualTo("futex"); // most time first
        assertThat(futex.calls()).isEqualTo(2385);
        assertThat(futex.errnos()).isEqualTo(Map.of("ETIMEDOUT", 1191L)); // grep count, README
        assertThat(t.futexTimeouts()).isEqualTo(1191);
        assertThat(t.futexWaits()).isEqualTo(1191);
        assertThat(t.threads()).extracting(ThreadStats::tid).containsExactlyInAnyOrder(25637, 25638, 25639);
        assertThat(t.seconds()).isCloseTo(1.0, within(0.05));
        assertThat(futex.seconds() / t.totalSeconds()).isGreaterThan(0.95);
        assertThat(futex.maxSeconds()).isGreaterThan(0.002);
        assertThat(t.notes()).anyMatch(n -> n.contains("still in progress") && n.contains("pause"));
    }

    @Test
    void javaParkNanosWithEpochStamps() {
        TraceSummary t = StraceFixtures.parse("java-park-C-f-ttt-T.txt.gz");
        assertThat(t.syscall("futex").orElseThrow().errors("ETIMEDOUT")).isEqualTo(1199);
        assertThat(t.seconds()).isBetween(0.9, 1.1);
        assertThat(t.threads().size()).isGreaterThanOrEqualTo(4); // a JVM: our two parkers and its own threads
        assertThat(t.threads().get(0).errors()).isGreaterThan(100); // a parker thread first (most calls)
    }

    @Test
    void readsOfACgroupFileAreKeptPerFile() {
        TraceSummary t = StraceFixtures.parse("read-cgroup-C-tt-T.txt.gz");
        assertThat(t.syscalls()).extracting(SyscallStats::name).contains("read", "openat", "close", "clock_nanosleep");
        FileTime read = t.files().stream().filter(f -> f.syscall().equals("read")).findFirst().orElseThrow();
        assertThat(read.fd()).isEqualTo(3);
        assertThat(read.path()).isEqualTo("/sys/fs/cgroup/memory/memory.stat"); // from the openat before it
        assertThat(read.calls()).isEqualTo(t.syscall("read").orElseThrow().calls());
        assertThat(t.threads()).hasSize(1); // no -f: no pid prefix
    }

    @Test
    void strace4FormatFromAGitLabNode() {
        TraceSummary t = StraceFixtures.parse("gitlab-strace4-f-tt-T-y.txt.gz");
        assertThat(t.lines()).isEqualTo(5000);
        assertThat(t.unparsed()).isZero();
        assertThat(t.syscall("futex").orElseThrow().errors("ETIMEDOUT")).isEqualTo(24); // grep, README
        assertThat(t.signals()).isEqualTo(11);
        assertThat(t.exits()).isEqualTo(10);
        assertThat(t.seconds()).isCloseTo(11.0, within(0.01));
        // -y paths, including ones with '>' inside
        assertThat(t.files()).anyMatch(f -> f.syscall().equals("read") && f.fd() == 26 && "/proc/823/smaps".equals(f.path()));
        assertThat(t.files()).anyMatch(f -> f.fd() == 32 && "TCP:[172.17.0.2:33462->10.7.7.48:5432]".equals(f.path()));
    }

    @Test
    void signalsExitsRestartsAndLongStrings() {
        TraceSummary t = StraceFixtures.parse("bash-signals-f-tt-T.txt.gz");
        assertThat(t.unparsed()).isZero();
        assertThat(t.signals()).isEqualTo(5);
        assertThat(t.exits()).isEqualTo(6);
        assertThat(t.syscall("wait4").orElseThrow().errnos()).containsEntry("ERESTARTSYS", 1L).containsEntry("ECHILD", 4L);
        assertThat(t.syscall("openat").orElseThrow().errnos()).containsKey("ENOENT");
        assertThat(t.syscall("execve").orElseThrow().calls()).isGreaterThanOrEqualTo(1);
        assertThat(t.threads()).hasSize(6); // bash, the subshell, sleep, sleep, head, cat
    }

    @Test
    void killedBySignalWithSecondStamps() {
        TraceSummary t = StraceFixtures.parse("bash-killed-f-t.txt");
        assertThat(t.unparsed()).isZero();
        assertThat(t.exits()).isEqualTo(2); // "+++ killed by SIGKILL +++" and "+++ exited with 0 +++"
        assertThat(t.signals()).isEqualTo(1);
        assertThat(t.syscall("kill").orElseThrow().calls()).isEqualTo(1);
        assertThat(t.syscall("execve").orElseThrow().calls()).isEqualTo(1); // the killed child never got to exec
        assertThat(t.syscall("read").map(SyscallStats::seconds).orElseThrow()).isNaN(); // no -T
    }

    @Test
    void pidPrefixOfStderrOutput() {
        TraceSummary t = StraceFixtures.parse("bash-stderr-pid-prefix.txt.gz");
        assertThat(t.unparsed()).isZero();
        assertThat(t.signals()).isEqualTo(3);
        assertThat(t.exits()).isEqualTo(4);
        // grep -o '^\[pid *[0-9]*\]' | sort -u: 4 pids; lines before the first fork have no prefix (tid 0)
        assertThat(t.threads()).extracting(ThreadStats::tid).hasSize(5).contains(0);
        assertThat(t.syscall("openat").orElseThrow().errors("ENOENT")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void countTables() {
        TraceSummary c = StraceFixtures.parse("futex-c-f.txt");
        assertThat(c.fromLines()).isFalse();
        assertThat(c.syscalls()).extracting(SyscallStats::name).containsExactly("futex", "restart_syscall");
        SyscallStats futex = c.syscalls().get(0);
        assertThat(futex.calls()).isEqualTo(5269);
        assertThat(futex.errors()).isEqualTo(2633);
        assertThat(futex.seconds()).isEqualTo(0.170478);
        assertThat(futex.meanMicros()).isCloseTo(32, within(1.0)); // the table's usecs/call
        assertThat(c.seconds()).isNaN();

        TraceSummary bash = StraceFixtures.parse("bash-c-f.txt");
        assertThat(bash.syscalls()).hasSize(40);
        assertThat(bash.syscall("openat").orElseThrow().errors()).isEqualTo(33);
        assertThat(bash.syscall("mmap").orElseThrow().errors()).isZero(); // blank errors column

        TraceSummary wall = StraceFixtures.parse("read-cgroup-c-w.txt");
        assertThat(wall.syscalls().get(0).name()).isEqualTo("clock_nanosleep");
        assertThat(StraceFixtures.parse("java-park-c-f.txt").syscalls()).hasSize(9);
    }

    // ---- bad input: partial results and notes, never an exception or a hang

    private static TraceSummary parse(byte[] b) throws Exception {
        return StraceParser.parse(new ByteArrayInputStream(b), "test");
    }

    @Test
    void emptyInput() throws Exception {
        TraceSummary t = parse(new byte[0]);
        assertThat(t.isEmpty()).isTrue();
        assertThat(t.notes()).anyMatch(n -> n.contains("no system calls in the input"));
    }

    @Test
    void truncatedMidLineGivesWhatCameBefore() throws Exception {
        byte[] all = StraceFixtures.bytes("futex-C-f-tt-T.txt.gz");
        byte[] half = Arrays.copyOf(all, all.length / 2 + 17);
        TraceSummary t = parse(half);
        assertThat(t.syscall("futex").orElseThrow().calls()).isBetween(1000L, 1300L);
        assertThat(t.tableStats()).isEmpty();
        assertThat(t.notes()).anyMatch(n -> n.contains("still in progress"));
        assertThat(t.notes()).anyMatch(n -> n.contains("incomplete") || n.contains("not strace output"));
    }

    @Test
    void tableCutBeforeItsTotal() throws Exception {
        String table = new String(StraceFixtures.bytes("bash-c-f.txt"), StandardCharsets.ISO_8859_1);
        TraceSummary t = parse(table.substring(0, table.indexOf("getdents64")).getBytes(StandardCharsets.ISO_8859_1));
        assertThat(t.syscalls()).extracting(SyscallStats::name).contains("wait4", "openat");
        assertThat(t.notes()).anyMatch(n -> n.contains("no 'total' line"));
    }

    @Test
    void garbageAndBinary() throws Exception {
        byte[] noise = new byte[300_000];
        new Random(42).nextBytes(noise);
        TraceSummary t = parse(noise);
        assertThat(t.isEmpty()).isTrue();
        assertThat(t.unparsed()).isPositive();
        assertThat(parse("hello\nworld(\n= = =\n<... x resumed\n[pid 12\n99999999999999 foo\n".getBytes()).isEmpty()).isTrue();
    }

    @Test
    @Timeout(20)
    void hugeLinesAreCutNotBuffered() throws Exception {
        byte[] huge = new byte[5 * StraceParser.MAX_LINE];
        Arrays.fill(huge, (byte) 'a');
        String tail = "\n123 04:00:00.000001 read(3, \"x\", 1) = 1 <0.000010>\n";
        byte[] all = Arrays.copyOf(huge, huge.length + tail.length());
        System.arraycopy(tail.getBytes(), 0, all, huge.length, tail.length());
        TraceSummary t = parse(all);
        assertThat(t.syscall("read").orElseThrow().calls()).isEqualTo(1);
        assertThat(t.notes()).anyMatch(n -> n.contains("longer than"));
    }

    @Test
    void timestampsAndDurations() {
        assertThat(StraceText.timestamp("03:55:50.648278", 0, 15)).isCloseTo(3 * 3600 + 55 * 60 + 50.648278, within(1e-9));
        assertThat(StraceText.timestamp("1795665348.640949", 0, 17)).isCloseTo(1795665348.640949, within(1e-6));
        assertThat(StraceText.timestamp("03:55:50", 0, 8)).isEqualTo(3 * 3600 + 55 * 60 + 50);
        assertThat(StraceText.timestamp("3x", 0, 2)).isNaN();
        assertThat(StraceText.seconds("0.000050", 0, 8)).isCloseTo(5e-5, within(1e-12));
        assertThat(StraceText.seconds("unfinished", 0, 10)).isNaN();
        List<String> midnight = List.of("1 23:59:59.900000 getpid() = 1 <0.000001>",
                "1 00:00:00.100000 getpid() = 1 <0.000001>");
        assertThat(StraceParser.parse(String.join("\n", midnight), "t").seconds()).isCloseTo(0.2, within(1e-6));
    }
}
