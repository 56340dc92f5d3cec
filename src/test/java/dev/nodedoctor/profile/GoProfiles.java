package dev.nodedoctor.profile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real Go profiles made during the test run by src/test/go/profilegen (built with the machine's Go), and the
 * real `go tool pprof` to compare with. Skips (with the reason) when Go is not installed; .ci/run installs
 * Debian's golang-go.
 */
final class GoProfiles {
    private static Path dir;

    private GoProfiles() {
    }

    static Path go() {
        for (String p : List.of("/usr/bin/go", "/usr/lib/go/bin/go", "/usr/local/go/bin/go")) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        return null;
    }

    /** The folder with cpu.pprof and heap.pprof, made once per test run. */
    static synchronized Path profiles() throws IOException, InterruptedException {
        assumeTrue(go() != null, "needs Go (Debian golang-go) to make real profiles and run go tool pprof");
        if (dir == null) {
            Path d = Files.createTempDirectory("nodedoctor-goprof");
            // the binary and profiles are a few MB a run: gone when the test JVM ends
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(d)));
            Path src = Path.of("src/test/go/profilegen").toAbsolutePath();
            run(src, go().toString(), "build", "-o", d.resolve("profilegen").toString(), ".");
            run(d, d.resolve("profilegen").toString(), "-cpu", "cpu.pprof", "-heap", "heap.pprof", "-seconds", "1.5");
            dir = d;
        }
        return dir;
    }

    private static void deleteTree(Path d) {
        try (java.util.stream.Stream<Path> all = Files.walk(d)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp folder left behind
        }
    }

    /** Runs `go tool pprof ARGS` and returns its standard output. */
    static String pprof(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(go().toString(), "tool", "pprof"));
        cmd.addAll(List.of(args));
        return run(profiles(), cmd.toArray(String[]::new));
    }

    static String run(Path cwd, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("TZ", "UTC");
        pb.environment().put("GOPROXY", "off");
        pb.environment().put("GOFLAGS", "-mod=mod");
        pb.environment().putIfAbsent("HOME", System.getProperty("java.io.tmpdir"));
        pb.environment().put("GOCACHE", Path.of(System.getProperty("java.io.tmpdir"), "nodedoctor-gocache").toString());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + ": did not finish");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + ": exit " + p.exitValue());
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
