package dev.nodedoctor.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A child process that behaves like a periodic cgroup statistics reader gone busy: it opens a file, reads it
 * whole and closes it, over and over (as cAdvisor does with memory.stat, without the pause). Prints "ready"
 * after the first read; runs until killed.
 */
public final class StatFileReader {
    private StatFileReader() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        Files.readAllBytes(file);
        System.out.println("ready");
        System.out.flush();
        long sink = 0;
        while (true) {
            sink += Files.readAllBytes(file).length;
            if (sink == Long.MIN_VALUE) {
                System.out.println(sink); // keeps the read from being optimised away
            }
        }
    }

    /** Starts the reader as a child JVM and waits until it has read once. */
    public static Process start(String file) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx32m", "-cp", cp, StatFileReader.class.getName(), file)
                .redirectErrorStream(true).start();
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine();
        if (!"ready".equals(line)) {
            p.destroyForcibly();
            throw new IOException("stat reader did not start: " + line);
        }
        return p;
    }
}
