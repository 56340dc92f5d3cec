package dev.nodedoctor.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Throw-away v1 cgroups for live scenario tests. Everything created is removed in {@link #close()}, also
 * when the test failed: processes inside are killed first, then directories are removed deepest first.
 */
public final class ScratchCgroups implements AutoCloseable {
    private final List<Path> created = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final String name = "nodedoctor-test-" + UUID.randomUUID().toString().substring(0, 8);

    /** Skips the calling test (with the reason) unless we are root with these v1 controllers writable. */
    public static ScratchCgroups requireV1(String... controllers) {
        assumeTrue(Fixtures.isRoot(), "needs root to create cgroups");
        for (String c : controllers) {
            assumeTrue(Files.isWritable(Path.of("/sys/fs/cgroup", c, "cgroup.procs")),
                    "needs a writable cgroup v1 " + c + " hierarchy at /sys/fs/cgroup/" + c);
        }
        return new ScratchCgroups();
    }

    /** Skips the calling test (with the reason) unless we are root on a machine with v1 cpu + cpuacct. */
    public static ScratchCgroups requireV1Cpu() {
        assumeTrue(Fixtures.isRoot(), "needs root to create cgroups");
        assumeTrue(Files.isWritable(Path.of("/sys/fs/cgroup/cpu/cgroup.procs")),
                "needs a writable cgroup v1 cpu hierarchy at /sys/fs/cgroup/cpu");
        assumeTrue(Files.isDirectory(Path.of("/sys/fs/cgroup/cpuacct")), "needs the v1 cpuacct hierarchy");
        return new ScratchCgroups();
    }

    public String name() {
        return name;
    }

    /** Creates /NAME/relative in the given v1 controllers; returns the cgroup path ("/NAME/relative"). */
    public String create(String relative, String... controllers) throws IOException {
        String cg = "/" + name + (relative.isEmpty() ? "" : "/" + relative);
        for (String c : controllers) {
            Path dir = Path.of("/sys/fs/cgroup", c + cg);
            Files.createDirectories(dir);
            // remember every level we made, so close() removes them all
            for (Path p = dir; !p.getFileName().toString().equals(c); p = p.getParent()) {
                if (!created.contains(p)) {
                    created.add(p);
                }
            }
        }
        return cg;
    }

    public void write(String controller, String cgroup, String file, String value) throws IOException {
        Files.writeString(Path.of("/sys/fs/cgroup", controller + cgroup, file), value);
    }

    public String read(String controller, String cgroup, String file) throws IOException {
        return Files.readString(Path.of("/sys/fs/cgroup", controller + cgroup, file));
    }

    /** Starts a shell command inside the cgroup (in every listed controller) before it execs. */
    public Process start(String cgroup, String command, String... controllers) throws IOException {
        StringBuilder join = new StringBuilder();
        for (String c : controllers) {
            join.append("echo $$ > /sys/fs/cgroup/").append(c).append(cgroup).append("/cgroup.procs && ");
        }
        Process p = new ProcessBuilder("sh", "-c", join + "exec " + command).redirectErrorStream(true).start();
        processes.add(p);
        return p;
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // also whatever a test made below our cgroups: remove every directory under them, deepest first
        List<Path> all = new ArrayList<>(created);
        for (Path top : created) {
            if (Files.isDirectory(top)) {
                try (var walk = Files.walk(top)) {
                    walk.filter(Files::isDirectory).filter(p -> !all.contains(p)).forEach(all::add);
                } catch (IOException e) {
                    // removed meanwhile
                }
            }
        }
        all.sort((a, b) -> b.getNameCount() - a.getNameCount());
        for (Path dir : all) {
            for (int i = 0; i < 50 && Files.exists(dir); i++) {
                try {
                    Files.delete(dir);
                } catch (IOException e) {
                    // tasks may take a moment to leave a cgroup after SIGKILL
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }
}
