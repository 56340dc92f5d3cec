package dev.nodedoctor.diagnose;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CausalLinksTest {

    private static Finding finding(String id, String subject) {
        return new Finding(id, Severity.WARNING, subject, id, List.of(), "why", "fix", List.of(), List.of(), 1);
    }

    private static Finding byId(List<Finding> all, String id) {
        return all.stream().filter(f -> f.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void theSlowKernelChainIsToldRootCauseFirst() {
        List<Finding> linked = CausalLinks.link(List.of(
                finding("tcp.syn-retransmit", "host network namespace"),
                finding("kernel.hiccup", Subjects.HOST),
                finding("cgroup.stat-read-slow", Subjects.HOST),
                finding("memcg.dying", Subjects.HOST),
                finding("cpu.throttled", "cgroup /kubepods/x")));
        assertThat(byId(linked, "tcp.syn-retransmit").causes()).containsExactly("kernel.hiccup", "cgroup.stat-read-slow");
        assertThat(byId(linked, "kernel.hiccup").causes()).containsExactly("cgroup.stat-read-slow");
        assertThat(byId(linked, "cgroup.stat-read-slow").causes()).containsExactly("memcg.dying");
        assertThat(byId(linked, "memcg.dying").causes()).isEmpty();
        assertThat(byId(linked, "cpu.throttled").causes()).isEmpty();
        assertThat(CausalLinks.chains(linked)).containsExactly(
                List.of("memcg.dying", "cgroup.stat-read-slow", "kernel.hiccup", "tcp.syn-retransmit"));
    }

    @Test
    void aCauseThatDidNotFireIsNotInvented() {
        List<Finding> linked = CausalLinks.link(List.of(finding("tcp.syn-retransmit", Subjects.HOST)));
        assertThat(linked.get(0).causes()).isEmpty();
        assertThat(CausalLinks.chains(linked)).isEmpty();
    }

    @Test
    void processFindingsLinkOnlyForTheSameProcess() {
        List<Finding> linked = CausalLinks.link(List.of(
                finding("cpu.hot-process", "pid 10 (kubelet)"),
                finding("cgroup.stats-reader", "pid 20 (node_exporter)")));
        assertThat(byId(linked, "cpu.hot-process").causes()).isEmpty();
        List<Finding> same = CausalLinks.link(List.of(
                finding("cpu.hot-process", "pid 10 (kubelet)"),
                finding("cgroup.stats-reader", "pid 10 (kubelet)")));
        assertThat(byId(same, "cpu.hot-process").causes()).containsExactly("cgroup.stats-reader");
    }

    @Test
    void causesARuleSetItselfAreKept() {
        Finding contention = new Finding("cpu.contention", Severity.WARNING, "cgroup /a", "t", List.of(), "w", "f",
                List.of(), List.of("cpu.throttled"), 1);
        assertThat(CausalLinks.link(List.of(contention)).get(0).causes()).containsExactly("cpu.throttled");
    }

    @Test
    void everyLinkIsAKnownIdAndEveryEffectPageNamesItsCauses() throws Exception {
        List<String> ids = RuleCatalogue.ids();
        for (Map.Entry<String, List<String>> e : CausalLinks.CAUSES.entrySet()) {
            assertThat(ids).as("effect").contains(e.getKey());
            assertThat(ids).as("causes of " + e.getKey()).containsAll(e.getValue());
            String page = Files.readString(Path.of("docs/findings", e.getKey() + ".md"));
            String related = page.substring(page.indexOf("## Related findings"));
            for (String cause : e.getValue()) {
                assertThat(related).as("docs/findings/%s.md names its cause %s", e.getKey(), cause).contains(cause);
            }
        }
    }
}
