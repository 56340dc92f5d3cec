package dev.nodedoctor.host;

import dev.nodedoctor.sys.Parser;
import dev.nodedoctor.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The memory-side parsers on real files of the v2 node, and on input they must refuse in words. */
class MemoryParsersBadInputTest {

    private static <T> T parse(Parser<T> p, String text) throws Parser.MalformedException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return p.parse(b, b.length);
    }

    @Test
    void realFilesOfTheV2Node() throws Exception {
        var root = Fixtures.v2Root();
        // README: /proc/cgroups lists every controller with num_cgroups 124 (24 live + 100 dying)
        ProcCgroups cg = parse(ProcCgroups.PARSER, Fixtures.read(root, "/proc/cgroups"));
        assertThat(cg.numCgroups("memory")).isEqualTo(124);
        assertThat(cg.controllers().get("memory").hierarchy()).isZero();
        // README: MemTotal 983484 kB, Shmem 22620 kB
        MemInfo mi = parse(MemInfo.PARSER, Fixtures.read(root, "/proc/meminfo"));
        assertThat(mi.total()).isEqualTo(983484L * 1024);
        assertThat(mi.bytes("Shmem")).isEqualTo(22620L * 1024);
        assertThat(mi.bytes("NoSuchKey")).isEqualTo(-1);
        Softirqs si = parse(Softirqs.PARSER, Fixtures.read(root, "/proc/softirqs"));
        assertThat(si.cpus()).isEqualTo(2);
        assertThat(si.counts()).containsKeys("TIMER", "NET_RX", "BLOCK", "RCU");
        SlabInfo slab = parse(SlabInfo.PARSER, Fixtures.read(root, "/proc/slabinfo"));
        assertThat(slab.caches()).containsKey("dentry");
        assertThat(slab.caches().get("dentry").bytes()).isPositive();
        // "  0:         80          0   IO-APIC   2-edge      timer" and "ERR:          0" (one total, no CPUs)
        Interrupts irq = parse(Interrupts.PARSER, Fixtures.read(root, "/proc/interrupts"));
        assertThat(irq.cpus()).isEqualTo(2);
        assertThat(irq.lines().get("0").counts()).containsExactly(80, 0);
        assertThat(irq.lines().get("0").source()).isEqualTo("IO-APIC 2-edge timer");
        assertThat(irq.lines().get("LOC").source()).isEqualTo("Local timer interrupts");
        VmStat vm = parse(VmStat.PARSER, Fixtures.read(root, "/proc/vmstat"));
        assertThat(vm.get("oom_kill")).isEqualTo(1); // the one memcg OOM of the scenario
    }

    @Test
    void badInputIsRefusedInWords() {
        assertThatThrownBy(() -> parse(FlatKeyed.PARSER, "cache twelve\n")).isInstanceOf(Parser.MalformedException.class)
                .hasMessageContaining("no number after 'cache'");
        assertThatThrownBy(() -> parse(ProcCgroups.PARSER, "#subsys_name\thierarchy\n")).isInstanceOf(Parser.MalformedException.class)
                .hasMessageContaining("no controllers");
        assertThatThrownBy(() -> parse(ProcCgroups.PARSER, "memory x 3 1\n")).isInstanceOf(Parser.MalformedException.class);
        assertThatThrownBy(() -> parse(Softirqs.PARSER, "TIMER: 1 2\n")).isInstanceOf(Parser.MalformedException.class)
                .hasMessageContaining("no CPU header");
        assertThatThrownBy(() -> parse(SlabInfo.PARSER, "slabinfo - version: 1.1\n")).isInstanceOf(Parser.MalformedException.class)
                .hasMessageContaining("version 2");
        assertThatThrownBy(() -> parse(Interrupts.PARSER, "  0: 1 2 IO-APIC timer\n")).isInstanceOf(Parser.MalformedException.class)
                .hasMessageContaining("no CPU header");
    }

    @Test
    void truncatedFilesKeepWhatWasThere() throws Exception {
        // a file cut mid-line: the complete lines are kept, the cut key is read as far as it goes
        java.util.Map<String, Long> m = parse(FlatKeyed.PARSER, "anon 4096\nfile 8192\nshm");
        assertThat(m).containsEntry("anon", 4096L).containsEntry("file", 8192L);
    }
}
