package dev.nodedoctor.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nodedoctor.testkit.Fixtures;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real OOM reports of ../shared/conformance/oom (kernels 3.13, 5.15, 6.12; syslog, dmesg and bare text;
 * memcg v1 and v2 and global), each against the facts read off it by hand in its .json. Our schema differs
 * from the JSON's, so each JSON field is compared with the value it means.
 */
class OomConformanceTest {

    @TestFactory
    Stream<DynamicTest> everySharedReportMatchesItsJson() throws IOException {
        Path dir = Fixtures.shared().resolve("conformance/oom");
        List<Path> jsons = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(jsons::add);
        }
        assertThat(jsons).hasSizeGreaterThanOrEqualTo(5);
        return jsons.stream().map(json -> DynamicTest.dynamicTest(json.getFileName().toString(), () -> check(json)));
    }

    private static void check(Path json) throws IOException {
        JsonNode expected = new ObjectMapper().readTree(json.toFile());
        Path log = Path.of(json.toString().replace(".json", ".log"));
        KernelLog parsed = KernelLogParser.parse(Files.readString(log));
        List<OomReport> reports = OomReportParser.parse(parsed.lines());
        JsonNode events = expected.get("events");
        assertThat(reports).as("reports in " + log.getFileName()).hasSize(events.size());
        for (int i = 0; i < events.size(); i++) {
            JsonNode e = events.get(i);
            OomReport r = reports.get(i);
            String where = log.getFileName() + " report " + i;
            assertThat(r.complete()).as(where + " complete").isTrue();
            assertThat(r.victim()).as(where + " victim").isNotNull();
            assertThat(r.victim().pid()).as(where + " victim_pid").isEqualTo(e.get("victim_pid").asInt());
            assertThat(r.victim().comm()).as(where + " victim_name").isEqualTo(e.get("victim_name").asText());
            String constraint = e.get("constraint").asText();
            assertThat(r.constraint() == null ? "unknown" : r.constraint()).as(where + " constraint").isEqualTo(constraint);
            assertThat(r.kind().name().toLowerCase()).as(where + " oom_kind").isEqualTo(e.get("oom_kind").asText());
            assertThat(r.oomMemcg()).as(where + " oom_memcg").isEqualTo(text(e.get("oom_memcg")));
            assertThat(r.taskMemcg()).as(where + " task_memcg").isEqualTo(text(e.get("task_memcg")));
            Long limit = e.get("limit_kb").isNull() ? null : e.get("limit_kb").asLong();
            Long usage = e.get("usage_kb").isNull() ? null : e.get("usage_kb").asLong();
            assertThat(r.memory() == null ? null : r.memory().limitKb()).as(where + " limit_kb").isEqualTo(limit);
            assertThat(r.memory() == null ? null : r.memory().usageKb()).as(where + " usage_kb").isEqualTo(usage);
            assertThat(r.victim().anonRssKb()).as(where + " anon_rss_kb").isEqualTo(e.get("anon_rss_kb").asLong());
            assertThat(r.victim().fileRssKb()).as(where + " file_rss_kb").isEqualTo(e.get("file_rss_kb").asLong());
            Long shmem = e.get("shmem_rss_kb").isNull() ? null : e.get("shmem_rss_kb").asLong();
            assertThat(r.victim().shmemRssKb()).as(where + " shmem_rss_kb").isEqualTo(shmem);
            assertThat(r.tasks()).as(where + " task_table_rows").hasSize(e.get("task_table_rows").asInt());
            assertThat(r.sumTaskRssPages()).as(where + " sum_task_rss_pages").isEqualTo(e.get("sum_task_rss_pages").asLong());
            assertThat(r.sumTaskRssBytes()).isEqualTo(e.get("sum_task_rss_pages").asLong() * 4096);
            if (e.has("also_killed_by_oom_group")) {
                List<Integer> pids = new ArrayList<>();
                e.get("also_killed_by_oom_group").forEach(n -> pids.add(n.asInt()));
                assertThat(r.groupKills()).extracting(OomReport.Victim::pid).as(where + " oom.group kills")
                        .containsExactlyElementsOf(pids);
            } else {
                assertThat(r.groupKills()).isEmpty();
            }
            // the README's cross-check: the victim's table rss × 4 kB = anon + file + shmem of its kill line
            assertThat(r.victimTask()).as(where + " victim row").isNotNull();
            assertThat(r.victimTask().rssPages() * 4).isEqualTo(r.victim().rssBytes() / 1024);
            String release = expected.get("kernel_release").asText();
            assertThat(release).startsWith(r.kernelRelease());
        }
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
