package dev.nodedoctor.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nodedoctor.testkit.Cli;
import dev.nodedoctor.testkit.Fixtures;
import dev.nodedoctor.trace.StraceRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Live, as root, with the real strace: small programs built here (C with gcc, Java from source) are traced by
 * `nodedoctor strace` and `diagnose --pid --trace`. Each must keep running and be left untraced (TracerPid 0).
 * The programs are the ones the fixtures were captured from (src/test/resources/fixtures/strace).
 */
class StraceLiveTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PROGRAMS = Path.of("src/test/resources/fixtures/strace").toAbsolutePath();

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void needStrace() {
        assumeTrue(Fixtures.isRoot(), "needs root to ptrace the test programs");
        assumeTrue(StraceRunner.findOnPath().isPresent(), "needs strace (apt-get install strace)");
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Starts a program that prints "ready" once its loop runs. */
    private Process start(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        started.add(p);
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()));
        assertThat(r.readLine()).as("first line of " + cmd).isEqualTo("ready");
        return p;
    }

    private Path gcc(String source, String... flags) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "needs gcc to build the test program");
        Path bin = tmp.resolve(source.replace(".c", ""));
        List<String> cmd = new ArrayList<>(List.of("gcc", "-O2"));
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of("-o", bin.toString(), PROGRAMS.resolve(source).toString()));
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("gcc " + source).isTrue();
        return bin;
    }

    private static String tracerPid(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("TracerPid:")).findFirst().orElseThrow().split("\\s+")[1];
    }

    private static void assertAliveAndDetached(Process p) throws IOException {
        assertThat(p.isAlive()).as("the traced process survives").isTrue();
        assertThat(tracerPid(p.pid())).as("strace detached").isEqualTo("0");
    }

    private static void assertFutexLoopFound(JsonNode doc) {
        JsonNode top = doc.get("trace").get("lineStats").get(0);
        assertThat(top.get("name").asText()).isEqualTo("futex");
        assertThat(top.get("errnos").get("ETIMEDOUT").asLong()).isGreaterThan(100);
        assertThat(doc.get("trace").get("tableStats").get(0).get("name").asText()).isEqualTo("futex");
        assertThat(doc.get("findings").findValuesAsText("id")).contains("syscall.futex-timeouts");
    }

    @Test
    void timedWaitLoopInC() throws Exception {
        Process p = start(List.of(gcc("futexloop.c", "-pthread").toString()));
        Cli.Run r = Cli.run("strace", "-p", Long.toString(p.pid()), "--seconds", "2", "-f", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode doc = JSON.readTree(r.out());
        assertFutexLoopFound(doc);
        assertThat(doc.get("trace").get("threads").size()).isEqualTo(3); // the waiters; main sits in pause()
        assertThat(doc.get("trace").get("seconds").asDouble()).isBetween(1.9, 8.0);
        assertAliveAndDetached(p);

        Cli.Run text = Cli.run("strace", "-p", Long.toString(p.pid()), "-s", "1", "-f");
        assertThat(text.out()).contains("futex", "ETIMEDOUT", "syscall.futex-timeouts  pid " + p.pid() + " (futexloop)",
                "profile");
        assertAliveAndDetached(p);
    }

    @Test
    void timedParksInJava() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = start(List.of(java.toString(), "-Xmx64m", "-XX:+UseSerialGC", PROGRAMS.resolve("Park.java").toString()));
        Cli.Run r = Cli.run("strace", "-p", Long.toString(p.pid()), "--seconds", "2", "-f", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertFutexLoopFound(JSON.readTree(r.out()));
        assertAliveAndDetached(p);
    }

    @Test
    void fileReaderShowsReadAndOpenatWithTheFile() throws Exception {
        Path file = tmp.resolve("polled.txt");
        Files.writeString(file, "x".repeat(1000));
        Process p = start(List.of(gcc("readloop.c").toString(), file.toString()));
        Cli.Run r = Cli.run("strace", "-p", Long.toString(p.pid()), "--seconds", "1", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode trace = JSON.readTree(r.out()).get("trace");
        assertThat(trace.get("lineStats").findValuesAsText("name")).contains("read", "openat", "close");
        assertThat(trace.get("files").findValuesAsText("path")).contains(file.toString());
        assertAliveAndDetached(p);
    }

    @Test
    void diagnoseWithTraceAddsTheSyscallFindings() throws Exception {
        Process p = start(List.of(gcc("futexloop.c", "-pthread").toString()));
        Cli.Run r = Cli.run("diagnose", "--pid", Long.toString(p.pid()), "--trace", "--duration", "2s", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode doc = JSON.readTree(r.out());
        assertThat(doc.get("findings").findValuesAsText("id")).contains("syscall.futex-timeouts");
        assertAliveAndDetached(p);
        assertThat(Cli.run("diagnose", "--trace").exit()).isEqualTo(2);
        assertThat(Cli.run("diagnose", "--pid", "1").exit()).isEqualTo(2);
    }

    @Test
    void ctrlCOnNodedoctorDetachesStrace() throws Exception {
        Process target = start(List.of(gcc("futexloop.c", "-pthread").toString()));
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process nd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", cp, "dev.nodedoctor.cli.Main", "strace", "-p", Long.toString(target.pid()), "-s", "60", "-f")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("nd.out").toFile()).start();
        started.add(nd);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (tracerPid(target.pid()).equals("0") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(tracerPid(target.pid())).as("strace attached").isNotEqualTo("0");
        Thread.sleep(300);
        new ProcessBuilder("kill", "-INT", Long.toString(nd.pid())).start().waitFor();
        assertThat(nd.waitFor(20, TimeUnit.SECONDS)).as("nodedoctor exits on SIGINT").isTrue();
        assertThat(nd.exitValue()).as(Files.readString(tmp.resolve("nd.out"))).isEqualTo(130); // 128 + SIGINT
        assertAliveAndDetached(target);
    }

    @Test
    void slowCallNamesTheFileAlsoWhenOnlyProcFdKnowsIt() throws Exception {
        Path file = tmp.resolve("data.bin");
        Files.write(file, new byte[4096]);
        Process p = start(List.of(gcc("preadloop.c").toString(), file.toString()));
        // pread of a cached file takes microseconds: a 1 µs limit makes it "slow" so the naming can be checked
        Path config = Files.writeString(tmp.resolve("t.conf"), "syscall.slow.mean-ms = 0.001\n");
        Cli.Run live = Cli.run("strace", "-p", Long.toString(p.pid()), "-s", "1", "--json", "--config", config.toString());
        assertThat(live.exit()).as(live.err()).isZero();
        JsonNode slow = JSON.readTree(live.out()).get("findings").get(0);
        assertThat(slow.get("id").asText()).isEqualTo("syscall.slow");
        assertThat(slow.get("title").asText()).startsWith("pread64 of " + file);

        // a saved trace without -y: the fd was opened before the trace, so only /proc/PID/fd knows the file
        Path saved = tmp.resolve("saved.txt");
        Process strace = new ProcessBuilder("timeout", "--signal=INT", "1", StraceRunner.findOnPath().orElseThrow()
                .toString(), "-tt", "-T", "-o", saved.toString(), "-p", Long.toString(p.pid())).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(strace.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertAliveAndDetached(p);
        JsonNode without = JSON.readTree(Cli.run("strace", "parse", saved.toString(), "--json").out());
        assertThat(without.get("trace").get("files").get(0).get("path").isNull()).isTrue();
        Cli.Run named = Cli.run("strace", "parse", saved.toString(), "--pid", Long.toString(p.pid()), "--json",
                "--config", config.toString());
        assertThat(named.exit()).as(named.err()).isZero();
        JsonNode doc = JSON.readTree(named.out());
        assertThat(doc.get("trace").get("files").get(0).get("path").asText()).isEqualTo(file.toString());
        assertThat(doc.get("findings").get(0).get("title").asText()).startsWith("pread64 of " + file);
        assertThat(doc.get("findings").get(0).get("evidence").findValuesAsText("source"))
                .contains("/proc/" + p.pid() + "/fd/3");
    }

    // ---- bad input

    @Test
    void processThatDoesNotExist() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Cli.Run r = Cli.run("strace", "-p", Long.toString(gone.pid()), "-s", "1");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).startsWith("nodedoctor: error: ").contains("does not exist");
        assertThat(Cli.run("strace").exit()).isEqualTo(2);
    }

    @Test
    void straceMissingSaysHowToInstall() {
        Cli.Run r = Cli.run("strace", "-p", "1", "-s", "1", "--strace", tmp.resolve("no/strace").toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("apt-get install strace");
    }

    @Test
    void ptraceDeniedExplainsScopeAndCapability() throws Exception {
        Process p = start(List.of(gcc("futexloop.c", "-pthread").toString()));
        Cli.Run r = Cli.runAsNobody(tmp, "strace", "-p", Long.toString(p.pid()), "-s", "1");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(4);
        assertThat(r.err()).startsWith("nodedoctor: error: ").contains("Operation not permitted", "ptrace_scope",
                "CAP_SYS_PTRACE").doesNotContain("\tat ");
        assertAliveAndDetached(p);
    }

}
