package dev.nodedoctor.kernel;

import dev.nodedoctor.kernel.KernelLogLine.Format;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class KernelLogParserTest {

    @Test
    void kmsgRecordsWithLevelsSequenceAndDictionaryLines() {
        KernelLog log = KernelLogParser.parse(KernelLogFixtures.v1Oom618("kmsg.txt"));
        List<KernelLogLine> lines = log.lines();
        // 488 input lines, 68 of them dictionary lines folded into their record
        assertThat(lines).hasSize(488 - 68);
        assertThat(lines).allMatch(l -> l.format() == Format.KMSG);
        KernelLogLine first = lines.get(0);
        assertThat(first.level()).isEqualTo(5);
        assertThat(first.facility()).isEqualTo(0);
        assertThat(first.sequence()).isEqualTo(0L);
        assertThat(first.text()).startsWith("Linux version 6.18.44-fc-v782");
        KernelLogLine acpi = lines.stream().filter(l -> l.sequence() == 190).findFirst().orElseThrow();
        assertThat(acpi.text()).startsWith("acpi PNP0A08:00: _OSC: OS supports");
        assertThat(acpi.dictionary()).containsEntry("SUBSYSTEM", "acpi").containsEntry("DEVICE", "+acpi:PNP0A08:00");
        KernelLogLine oom = lines.stream().filter(l -> l.text().contains("invoked oom-killer")).findFirst().orElseThrow();
        assertThat(oom.sequence()).isEqualTo(339L);
        assertThat(oom.level()).isEqualTo(4);
        assertThat(oom.uptimeSeconds()).isCloseTo(1898.570498, within(1e-9));
        assertThat(log.notes()).isEmpty(); // sequence numbers 0..419 without a gap
    }

    @Test
    void theFourPrintersOfOneReportGiveTheSameTexts() {
        List<String> dmesg = texts(KernelLogParser.parse(KernelLogFixtures.v1Oom618("dmesg.txt")).lines());
        List<String> ctime = texts(KernelLogParser.parse(KernelLogFixtures.v1Oom618("dmesg-T.txt")).lines());
        List<String> bare = texts(KernelLogParser.parse(KernelLogFixtures.v1Oom618("dmesg-t.txt")).lines());
        List<KernelLogLine> kmsgLines = KernelLogParser.parse(KernelLogFixtures.v1Oom618("kmsg.txt")).lines();
        List<String> kmsg = texts(kmsgLines.subList(kmsgLines.size() - 81, kmsgLines.size()));
        assertThat(dmesg).hasSize(81).isEqualTo(ctime).isEqualTo(bare).isEqualTo(kmsg);
        assertThat(dmesg.get(0)).isEqualTo("python3 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0");
        assertThat(dmesg.get(4)).isEqualTo(" dump_stack_lvl+0x59/0x90"); // call trace indentation is kept
    }

    @Test
    void dmesgTimestampsAndCtime() {
        KernelLogLine d = KernelLogParser.parse(KernelLogFixtures.v1Oom618("dmesg.txt")).lines().get(0);
        assertThat(d.format()).isEqualTo(Format.DMESG);
        assertThat(d.uptimeSeconds()).isCloseTo(1898.570498, within(1e-9));
        KernelLogLine t = KernelLogParser.parse(KernelLogFixtures.v1Oom618("dmesg-T.txt")).lines().get(0);
        assertThat(t.format()).isEqualTo(Format.DMESG_CTIME);
        assertThat(t.wallClock()).isEqualTo("Thu Nov 26 03:55:33 2026");
        assertThat(t.uptimeSeconds()).isNull();
        KernelLogLine bare = KernelLogParser.parse(KernelLogFixtures.v1Oom618("dmesg-t.txt")).lines().get(0);
        assertThat(bare.format()).isEqualTo(Format.TEXT);
    }

    @Test
    void syslogWithAndWithoutHost() {
        KernelLogLine noHost = KernelLogParser.parse(
                KernelLogFixtures.shared("conformance/oom/02-ubuntu-3.13-memcg-syslog-nohost.log")).lines().get(0);
        assertThat(noHost.format()).isEqualTo(Format.SYSLOG);
        assertThat(noHost.host()).isNull();
        assertThat(noHost.program()).isEqualTo("kernel");
        assertThat(noHost.wallClock()).isEqualTo("Jan  5 15:19:27");
        assertThat(noHost.uptimeSeconds()).isCloseTo(5864.708440, within(1e-9));
        assertThat(noHost.text()).startsWith("memorymonster invoked oom-killer");

        KernelLogLine host = KernelLogParser.parse(
                KernelLogFixtures.shared("conformance/oom/10-aks-5.15-pod-limit-syslog.log")).lines().get(0);
        assertThat(host.host()).isEqualTo("aks-nodepool1-24207654-vmss000001");
        assertThat(host.uptimeSeconds()).isCloseTo(8523.347168, within(1e-9));
        assertThat(host.text()).startsWith("stress-ng-vm invoked oom-killer");
    }

    @Test
    void rfc3339SyslogAndOtherProgramsLines() {
        // https://github.com/cloud-hypervisor/cloud-hypervisor/issues/8284 (rsyslog high-precision time)
        KernelLogLine iso = one("2026-05-28T12:21:57.303297+00:00 vm-1779970054023451471 kernel:  </TASK>");
        assertThat(iso.format()).isEqualTo(Format.SYSLOG);
        assertThat(iso.wallClock()).isEqualTo("2026-05-28T12:21:57.303297+00:00");
        assertThat(iso.host()).isEqualTo("vm-1779970054023451471");
        assertThat(iso.text()).isEqualTo(" </TASK>");
        // https://github.com/moby/moby/issues/38613: a daemon's line in the same syslog file
        KernelLogLine docker = one("Jun 13 23:04:43 kir-ce75-gd dockerd[9931]: time=\"2019-06-13T23:04:43.101748600Z\" level=debug msg=event");
        assertThat(docker.program()).isEqualTo("dockerd[9931]");
        assertThat(docker.fromKernel()).isFalse();
    }

    @Test
    void dmesgIndentedContinuationLinesKeepTheRecordTime() {
        // https://github.com/raspberrypi/linux/issues/3872: dmesg prints a multi-line record's later lines
        // indented under the first line's text
        KernelLog log = KernelLogParser.parse("""
                [  505.051198] Mem-Info:
                [  505.052637] active_anon:239 inactive_anon:6756 isolated_anon:0
                                active_file:9815 inactive_file:20182 isolated_file:128
                                unevictable:3569 dirty:17048 writeback:2622
                [  505.062633] Node 0 active_anon:956kB inactive_anon:27024kB
                """);
        assertThat(log.lines()).extracting(KernelLogLine::text).containsExactly("Mem-Info:",
                "active_anon:239 inactive_anon:6756 isolated_anon:0",
                " active_file:9815 inactive_file:20182 isolated_file:128",
                " unevictable:3569 dirty:17048 writeback:2622",
                "Node 0 active_anon:956kB inactive_anon:27024kB");
        assertThat(log.lines().get(2).uptimeSeconds()).isCloseTo(505.052637, within(1e-9));
        assertThat(log.lines().get(2).format()).isEqualTo(Format.DMESG);
    }

    @Test
    void journalShortMonotonicAndRawAndCallerTags() {
        // journalctl -k -o short-monotonic prints "[  seconds] host kernel: text"; the printer format is
        // journalctl's (output-mode short-monotonic), the line from this machine's kernel (kmsg.txt seq 339)
        KernelLogLine j = one("[ 1898.570498] buildhost kernel: python3 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0");
        assertThat(j.format()).isEqualTo(Format.JOURNAL_MONOTONIC);
        assertThat(j.host()).isEqualTo("buildhost");
        assertThat(j.text()).startsWith("python3 invoked");
        KernelLogLine raw = one("<4>[ 1898.570498] python3 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0");
        assertThat(raw.level()).isEqualTo(4);
        assertThat(raw.format()).isEqualTo(Format.DMESG);
        KernelLogLine caller = one("[    4.204970][  T207] dd invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=967");
        assertThat(caller.caller()).isEqualTo("T207");
        assertThat(caller.text()).startsWith("dd invoked");
        KernelLogLine kmsgCaller = one("4,339,1898570498,-,caller=T25495;python3 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0");
        assertThat(kmsgCaller.caller()).isEqualTo("T25495");
    }

    @Test
    void kmsgEscapesAndSequenceGaps() {
        KernelLog log = KernelLogParser.parse("""
                6,10,100,-;first line\\x0asecond line with a \\x5c backslash
                6,15,200,-;after five lost records
                """);
        assertThat(log.lines()).extracting(KernelLogLine::text)
                .containsExactly("first line", "second line with a \\ backslash", "after five lost records");
        assertThat(log.notes()).singleElement().asString().contains("4 kmsg record(s) were overwritten");
    }

    @Test
    void unknownGarbageEmptyAndHugeLinesAreKeptAsText() {
        StringBuilder huge = new StringBuilder("[");
        huge.append("9".repeat(200_000));
        KernelLog log = KernelLogParser.parse("\n\u0000\u0001garbage\n[unclosed\n<99999999>x\n12,abc;no\nNov 99 99:99:99\n"
                + huge + "\n[ 12.5] ok\n");
        assertThat(log.lines()).hasSize(8);
        assertThat(log.lines().subList(0, 7)).allMatch(l -> l.format() == Format.TEXT);
        assertThat(log.lines().get(7).uptimeSeconds()).isEqualTo(12.5);
        assertThat(KernelLogParser.parse("").lines()).isEmpty();
    }

    private static KernelLogLine one(String line) {
        List<KernelLogLine> lines = KernelLogParser.parse(line + "\n").lines();
        assertThat(lines).hasSize(1);
        return lines.get(0);
    }

    private static List<String> texts(List<KernelLogLine> lines) {
        return lines.stream().map(KernelLogLine::text).toList();
    }
}
