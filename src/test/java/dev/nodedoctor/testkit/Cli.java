package dev.nodedoctor.testkit;

import dev.nodedoctor.cli.Main;
import picocli.CommandLine;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs the real command line in-process (fast) or as another user in a child JVM (for permission cases). */
public final class Cli {
    public record Run(int exit, String out, String err) {
    }

    private Cli() {
    }

    public static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /**
     * Runs nodedoctor as user nobody (uid 65534, no capabilities) with setpriv, from a world-readable copy of
     * the test classpath under {@code scratch/cp}. Skips unless we are root and setpriv exists.
     */
    public static Run runAsNobody(Path scratch, String... args) throws IOException, InterruptedException {
        assumeTrue(Fixtures.isRoot(), "needs root to switch to user nobody");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux)");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path lib = scratch.resolve("cp");
        Files.createDirectories(lib);
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : cp.split(File.pathSeparator)) {
            Path src = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(src)) {
                Path dst = lib.resolve(i++ + "-" + src.getFileName());
                Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
                entries.add(dst.toString());
            } else if (Files.isDirectory(src) && entry.endsWith("classes")) {
                Path dst = lib.resolve(i++ + "-classes");
                try (var walk = Files.walk(src)) {
                    for (Path p : (Iterable<Path>) walk::iterator) {
                        Path t = dst.resolve(src.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(t);
                        } else {
                            Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
                entries.add(dst.toString());
            }
        }
        openUp(lib);
        Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "--inh-caps=-all", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", String.join(File.pathSeparator, entries),
                "dev.nodedoctor.cli.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("nodedoctor as nobody did not finish");
        }
        return new Run(p.exitValue(), new String(out), new String(err));
    }

    private static void openUp(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }
}
