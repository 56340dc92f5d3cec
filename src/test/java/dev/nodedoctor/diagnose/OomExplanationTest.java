package dev.nodedoctor.diagnose;

import dev.nodedoctor.kernel.KernelLogParser;
import dev.nodedoctor.kernel.OomReport;
import dev.nodedoctor.kernel.OomReportParser;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Explanations of real reports whose numbers are checked against the report text itself. */
class OomExplanationTest {

    private static OomReport first(String fixture) throws Exception {
        String text = Files.readString(Path.of("src/test/resources/fixtures/kernel-log").resolve(fixture));
        return OomReportParser.parse(KernelLogParser.parse(text).lines()).get(0);
    }

    @Test
    void podLimitOn415IsBlamedOnTheProcessesNotOnKernelMemory() throws Exception {
        // The pod's own stats line is all zeros; before the subtree sum this report was explained as
        // "mostly kernel memory" (kmem 1.7 MiB was the largest non-zero figure).
        OomExplanation e = OomExplanation.of(first("public/ubuntu-4.15-kubepods-memcg-syslog.log"));
        assertThat(e.usageBytes()).isEqualTo(262144L * 1024);
        assertThat(e.limitBytes()).isEqualTo(262144L * 1024);
        assertThat(e.taskRssBytes()).isEqualTo((1L + 146 + 710 + 690 + 65119) * 4096);
        assertThat(e.gapBytes()).isZero(); // the tasks' RSS (260.4 MiB) is above the usage
        assertThat(e.anonBytes()).isEqualTo((40L + 260400) * 1024);
        assertThat(e.kernelBytes()).isEqualTo(1704L * 1024);
        assertThat(e.culprit()).isEqualTo("process memory (anon)");
        assertThat(e.summary()).contains("their own memory filled the limit");
        assertThat(e.pod().podUid()).isEqualTo("465a9fc1-0de9-44cd-b22c-7e6b23fd75f8");
    }
}
