package dev.nodedoctor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nodedoctor.diagnose.RuleCatalogue;
import dev.nodedoctor.testkit.Cli;
import dev.nodedoctor.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line as a user meets it: output, JSON, exit codes, and one-line errors for bad input. */
class CliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static void assertOneLineError(Cli.Run r, int exit, String contains) {
        assertThat(r.exit()).as("exit code; stderr: %s", r.err()).isEqualTo(exit);
        assertThat(r.err().lines()).as("stderr").hasSize(1);
        assertThat(r.err()).startsWith("nodedoctor: error: ").contains(contains).doesNotContain("\tat ");
    }

    @Test
    void versionAndHelp() {
        Cli.Run v = Cli.run("--version");
        assertThat(v.exit()).isZero();
        assertThat(v.out()).startsWith("nodedoctor 0.");
        Cli.Run h = Cli.run("--help");
        assertThat(h.exit()).isZero();
        assertThat(h.out()).contains("diagnose", "top", "capture", "kube", "explain", "completion", "Exit codes:");
        assertThat(Cli.run("kube", "resources", "--version").out()).startsWith("nodedoctor 0.");
    }

    @Test
    void diagnoseACaptureAsJsonAndFailOnSeverity() throws Exception {
        String bundle = Fixtures.v1Bundle().toString();
        Cli.Run r = Cli.run("diagnose", "--root", bundle, "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode doc = JSON.readTree(r.out());
        assertThat(doc.get("windowSeconds").asDouble()).isGreaterThan(1);
        assertThat(doc.get("host").get("cpus").asInt()).isEqualTo(2);
        JsonNode first = null;
        for (JsonNode f : doc.get("findings")) {
            if (f.get("id").asText().equals("cpu.throttled")) {
                first = f;
            }
        }
        assertThat(first).isNotNull();
        assertThat(first.get("evidence").get(0).get("source").asText()).startsWith("/sys/fs/cgroup/cpu/kubepods/");
        assertThat(first.get("evidence").get(0).get("number").isNumber()).isTrue();

        assertThat(Cli.run("diagnose", "--root", bundle, "--fail-on", "warning").exit()).isEqualTo(1);
        Cli.Run text = Cli.run("diagnose", "--root", bundle);
        assertThat(text.exit()).isZero();
        assertThat(text.out()).contains("cpu.throttled", "evidence:", "why:", "fix:", "more: nodedoctor explain cpu.throttled");
    }

    @Test
    void usageErrorsExitWithTwo() {
        Cli.Run r = Cli.run("diagnose", "--fail-on", "bogus");
        assertOneLineError(r, 2, "unknown severity 'bogus'");
        Cli.Run d = Cli.run("diagnose", "--duration", "soon");
        assertThat(d.exit()).isEqualTo(2);
        assertThat(d.err()).contains("'soon' is not a duration");
        assertThat(Cli.run("no-such-command").exit()).isEqualTo(2);
        assertThat(Cli.run("kube", "resources", "--cpu-limit", "12x").exit()).isEqualTo(2);
    }

    @Test
    void aRootThatIsNotLinuxIsOneClearLine() throws Exception {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertOneLineError(Cli.run("diagnose", "--root", empty.toString()), 3, "not a Linux tree");
        assertOneLineError(Cli.run("diagnose", "--root", tmp.resolve("nope").toString()), 3, "no such file or directory");
    }

    @Test
    void aCorruptBundleIsOneClearLine() throws Exception {
        byte[] whole = Files.readAllBytes(Fixtures.v1Bundle());
        Path cut = tmp.resolve("cut.tar.gz");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 3));
        assertOneLineError(Cli.run("diagnose", "--root", cut.toString()), 3, "not a readable tar.gz capture");
        Path text = tmp.resolve("text.tar.gz");
        Files.writeString(text, "hello");
        assertOneLineError(Cli.run("top", "--root", text.toString()), 3, "not a readable tar.gz capture");
    }

    @Test
    void captureThenDiagnoseTheBundleElsewhere() throws Exception {
        Path out = tmp.resolve("node.tar.gz");
        Cli.Run c = Cli.run("capture", "-o", out.toString(), "--duration", "300ms");
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out()).startsWith("wrote " + out);
        Cli.Run again = Cli.run("capture", "-o", out.toString(), "--duration", "0");
        assertOneLineError(again, 2, "exists; use --force");
        Cli.Run d = Cli.run("diagnose", "--root", out.toString(), "--json");
        assertThat(d.exit()).as(d.err()).isZero();
        JsonNode doc = JSON.readTree(d.out());
        assertThat(doc.get("processes").asInt()).isGreaterThan(5);
        assertThat(doc.get("cgroupCount").asInt()).isPositive();
        assertThat(doc.get("windowSeconds").asDouble()).isBetween(0.25, 5.0);
    }

    @Test
    void captureRedactsArgumentsWhenAsked() throws Exception {
        Path out = tmp.resolve("r.tar.gz");
        assertThat(Cli.run("capture", "-o", out.toString(), "--duration", "0", "--redact-cmdline").exit()).isZero();
        Path dir = dev.nodedoctor.capture.BundleReader.unpack(out);
        String self = Files.readString(dir.resolve("proc/" + ProcessHandle.current().pid() + "/cmdline"));
        assertThat(self).doesNotContain("\0").doesNotContain(" ");
        assertThat(self).endsWith("java");
    }

    @Test
    void topPrintsJsonLinesLive() throws Exception {
        Cli.Run r = Cli.run("top", "-n", "2", "-i", "200ms", "--json", "--all");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines()).hasSize(2);
        JsonNode frame = JSON.readTree(r.out().lines().findFirst().orElseThrow());
        assertThat(frame.get("intervalSeconds").asDouble()).isBetween(0.15, 2.0);
        assertThat(frame.get("processes").size()).isPositive();
        assertThat(frame.get("cgroups").get(0).get("path").asText()).isEqualTo("/");
        Cli.Run text = Cli.run("top", "-n", "1", "-i", "100ms", "--processes");
        assertThat(text.out()).contains("%Cpu(s)", "PID", "%CPU", "RUNQms/s").doesNotContain("THRms/s");
    }

    @Test
    void everyFindingIdHasAnExplanationPage() {
        for (String id : RuleCatalogue.ids()) {
            Cli.Run r = Cli.run("explain", id);
            assertThat(r.exit()).as(id).isZero();
            assertThat(r.out()).as(id).startsWith("# " + id).contains("## Fix");
        }
        assertOneLineError(Cli.run("explain", "cpu.nope"), 2, "no finding 'cpu.nope'");
        assertThat(Cli.run("explain", "--thresholds").out()).contains("cpu.throttled.ratio = 0.250", "kubernetes-mixin");
    }

    @Test
    void memoryBreakdownOfTheOomKilledContainer() throws Exception {
        String root = Fixtures.v2Root().toString();
        Cli.Run all = Cli.run("memory", "--root", root);
        assertThat(all.exit()).as(all.err()).isZero();
        assertThat(all.out()).contains("WSET", "pod df494f48 / ctr 3230f737 (Burstable)");
        // pid 216 is the cache-writer in the Burstable container (fixture README)
        Cli.Run one = Cli.run("memory", "--root", root, "--pid", "216");
        assertThat(one.exit()).as(one.err()).isZero();
        assertThat(one.out()).contains("cri-containerd-3230f737", "working set         19.1 MiB", "shmem             12.0 MiB",
                "OOM kills           1");
        JsonNode doc = JSON.readTree(Cli.run("memory", "--root", root, "--pid", "216", "--json").out());
        assertThat(doc.get("rows").get(0).get("memory").get("usage").asLong()).isEqualTo(47443968L);
        assertOneLineError(Cli.run("memory", "--root", root, "/no/such/cgroup"), 3, "no such memory cgroup");
        assertOneLineError(Cli.run("memory", "--root", root, "--pid", "99999"), 3, "/proc/99999/cgroup: no such file");
        assertThat(Cli.run("memory", "relative/path").exit()).isEqualTo(2);
    }

    @Test
    void fixDropCachesSaysWhatItDoesFirstAndOnlyOnTheLiveNode() {
        assertOneLineError(Cli.run("diagnose", "--root", Fixtures.v1Bundle().toString(), "--fix", "drop-caches"), 2,
                "cannot be used with --root");
        assertOneLineError(Cli.run("diagnose", "--fix", "reboot"), 2, "the only one is drop-caches");
        org.junit.jupiter.api.Assumptions.assumeTrue(Fixtures.isRoot(), "writing drop_caches needs root");
        Cli.Run r = Cli.run("diagnose", "-d", "200ms", "--fix", "drop-caches");
        assertThat(r.exit()).as(r.err()).isZero();
        int announce = r.out().indexOf("--fix drop-caches: nodedoctor will now run `sync` and write 3 to /proc/sys/vm/drop_caches");
        int done = r.out().indexOf("dying memory cgroups: ");
        assertThat(announce).isPositive();
        assertThat(done).isGreaterThan(announce);
    }

    @Test
    void completionScriptIsBash() {
        Cli.Run r = Cli.run("completion");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("complete -F").contains("diagnose");
    }

    @Test
    void permissionDeniedExitsWithFour() throws Exception {
        Path root = tmp.resolve("host");
        Files.createDirectories(root.resolve("proc"));
        Files.writeString(root.resolve("proc/stat"), "cpu 1 2 3 4\n");
        Files.setPosixFilePermissions(root.resolve("proc/stat"), PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(root.resolve("proc"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Cli.Run r = Cli.runAsNobody(tmp, "diagnose", "--root", root.toString());
        assertOneLineError(r, 4, "permission denied");
    }
}
