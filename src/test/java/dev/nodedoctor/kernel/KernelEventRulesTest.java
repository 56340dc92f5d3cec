package dev.nodedoctor.kernel;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KernelEventRulesTest {
    private final KernelEventRules rules = KernelEventRules.builtIn();

    /** Real lines from public bug reports (fixtures/kernel-log/public/events.tsv names each source). */
    @Test
    void everyQuotedLineGivesItsKind() {
        List<String> rows = KernelLogFixtures.publicFile("events.tsv").lines().filter(l -> !l.startsWith("#")).toList();
        assertThat(rows).hasSizeGreaterThan(25);
        for (String row : rows) {
            String[] cols = row.split("\t", 3);
            KernelLogLine line = KernelLogParser.parse(cols[2] + "\n").lines().get(0);
            Optional<KernelEvent> e = rules.match(line);
            if (cols[0].equals("-")) {
                assertThat(e).as(cols[1] + ": " + cols[2]).isEmpty();
            } else {
                assertThat(e).as(cols[1] + ": " + cols[2]).isPresent();
                assertThat(e.get().kind()).as(cols[1]).isEqualTo(cols[0]);
            }
        }
    }

    @Test
    void fieldsComeFromTheNamedGroups() {
        KernelEvent hung = match("[26825.855448] INFO: task kworker/2:1:5747 blocked for more than 120 seconds.");
        assertThat(hung.fields()).containsEntry("comm", "kworker/2:1").containsEntry("pid", "5747").containsEntry("seconds", "120");
        assertThat(hung.group()).isEqualTo("hung-task");
        assertThat(hung.severity()).isEqualTo(KernelEvent.Severity.WARNING);
        assertThat(hung.uptimeSeconds()).isEqualTo(26825.855448);

        KernelEvent lockup = match("May  3 06:24:16 wendy kernel: [1588862.292994] watchdog: BUG: soft lockup - CPU#0 stuck for 23s! [frigate.output:1243199]");
        assertThat(lockup.fields()).containsEntry("cpu", "0").containsEntry("seconds", "23")
                .containsEntry("comm", "frigate.output").containsEntry("pid", "1243199");
        assertThat(lockup.wallClock()).isEqualTo("May  3 06:24:16");

        KernelEvent alloc = match("[86554.227453] irq/5-600c0004.: page allocation failure: order:0, mode:0x820(GFP_ATOMIC), nodemask=(null)");
        assertThat(alloc.fields()).containsEntry("comm", "irq/5-600c0004.").containsEntry("order", "0")
                .containsEntry("mode", "0x820").containsEntry("flags", "GFP_ATOMIC");

        KernelEvent kill = match("Aug 16 20:29:54 hgzmm3cs239 kernel: Killed process 42452 (memcg_test_1), UID 0, total-vm:7296kB, anon-rss:96kB, file-rss:164kB, shmem-rss:0kB");
        assertThat(kill.fields()).containsEntry("pid", "42452").containsEntry("comm", "memcg_test_1")
                .containsEntry("uid", "0").containsEntry("fileRssKb", "164");

        KernelEvent invoked = match("Jul 16 11:53:24 sau-3f41e-or kernel: [1310061.327439] CPU 0/KVM invoked oom-killer: gfp_mask=0x15000c0(GFP_KERNEL_ACCOUNT), nodemask=(null), order=0, oom_score_adj=0");
        assertThat(invoked.fields()).containsEntry("comm", "CPU 0/KVM").containsEntry("gfpMask", "0x15000c0")
                .containsEntry("gfpFlags", "GFP_KERNEL_ACCOUNT").containsEntry("order", "0").containsEntry("oomScoreAdj", "0");
        assertThat(invoked.is("oom")).isTrue();
        assertThat(invoked.is("oom-invoked")).isTrue();
        assertThat(invoked.is("hung-task")).isFalse();
    }

    @Test
    void everyRecognisedLineOfTheRealReportsOnThisMachine() {
        List<KernelEvent> events = KernelLogParser.parse(KernelLogFixtures.v1Oom618("kmsg.txt")).lines().stream()
                .map(rules::match).flatMap(Optional::stream).toList();
        assertThat(events).extracting(KernelEvent::kind).containsExactly("oom-invoked", "oom-constraint", "oom-kill-memcg");
    }

    @Test
    void badTablesAreRejectedWithTheRuleNamed() {
        assertThatThrownBy(() -> load("{\"rules\":[{\"kind\":\"x\",\"group\":\"g\",\"reason\":\"R\",\"severity\":\"info\",\"needle\":\"n\",\"pattern\":\"(\"}]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kernel event rule x").hasMessageContaining("bad pattern");
        assertThatThrownBy(() -> load("{\"rules\":[{\"kind\":\"x\",\"group\":\"g\",\"reason\":\"R\",\"severity\":\"loud\",\"needle\":\"n\",\"pattern\":\"a\"}]}"))
                .hasMessageContaining("severity must be");
        assertThatThrownBy(() -> load("{\"rules\":[{\"kind\":\"x\"}]}")).hasMessageContaining("required");
        assertThatThrownBy(() -> load("{\"rules\":[]}")).hasMessageContaining("no rules");
        assertThat(rules.kindsAndGroups()).contains("oom", "hung-task", "soft-lockup", "rcu-stall", "page-allocation-failure",
                "oom-kill-memcg", "oom-reaper");
    }

    private KernelEvent match(String text) {
        return rules.match(KernelLogParser.parse(text + "\n").lines().get(0)).orElseThrow();
    }

    private static KernelEventRules load(String json) throws Exception {
        return KernelEventRules.load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
}
