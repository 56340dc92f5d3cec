package dev.nodedoctor.sys;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KernelFilesTest {

    @TempDir
    Path root;

    private void write(String kernelPath, String content) throws IOException {
        Path p = root.resolve(kernelPath.substring(1));
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    @Test
    void readsUnderTheRootPrefix() throws Exception {
        write("/proc/loadavg", "0.10 0.20 0.30 1/100 42\n");
        try (KernelFiles files = KernelFiles.at(root, Duration.ofSeconds(1))) {
            assertThat(files.readText("/proc/loadavg")).startsWith("0.10 0.20");
            assertThat(files.resolve("/proc/loadavg")).isEqualTo(root.resolve("proc/loadavg"));
        }
    }

    @Test
    void missingFileNamesThePathAndTheKind() {
        try (KernelFiles files = KernelFiles.at(root, Duration.ofSeconds(1))) {
            assertThatThrownBy(() -> files.readText("/proc/nope"))
                    .isInstanceOfSatisfying(KernelFileException.class, e -> {
                        assertThat(e.kind()).isEqualTo(KernelFileException.Kind.MISSING);
                        assertThat(e.path()).isEqualTo("/proc/nope");
                        assertThat(e.getMessage()).isEqualTo("/proc/nope: no such file");
                    });
        }
    }

    @Test
    void aFifoWithoutWriterTimesOutWithoutStallingTheCaller() throws Exception {
        write("/proc/stat", "cpu 1 2 3 4\n");
        Path fifo = root.resolve("proc/hang");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mk.waitFor()).isZero();
        try (KernelFiles files = KernelFiles.at(root, Duration.ofMillis(300))) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> files.readText("/proc/hang"))
                    .isInstanceOfSatisfying(KernelFileException.class,
                            e -> assertThat(e.kind()).isEqualTo(KernelFileException.Kind.TIMEOUT));
            long waitedMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(waitedMs).isBetween(250L, 1500L);
            // the stuck reader was replaced: the next read works
            assertThat(files.readText("/proc/stat")).startsWith("cpu");
            assertThat(files.hungReaders()).isEqualTo(1);
            assertThat(files.slowReads()).anySatisfy(t -> {
                assertThat(t.path()).isEqualTo("/proc/hang");
                assertThat(t.timedOut()).isTrue();
            });
            // release the stuck open(2): the abandoned reader then exits
            try (FileOutputStream w = new FileOutputStream(fifo.toFile())) {
                w.write('x');
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (files.hungReaders() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(files.hungReaders()).isZero();
        }
    }

    @Test
    void readsQueuedBehindAHungReadStillComplete() throws Exception {
        Path fifo = root.resolve("proc/hang");
        Files.createDirectories(fifo.getParent());
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        for (int i = 0; i < 50; i++) {
            write("/proc/f" + i, "v" + i);
        }
        try (KernelFiles files = KernelFiles.at(root, Duration.ofMillis(200))) {
            Pending<String> hung = files.submit("/proc/hang", Parser.TEXT);
            List<Pending<String>> rest = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                rest.add(files.submit("/proc/f" + i, Parser.TEXT));
            }
            // wait on a later read first: the stuck one ahead of it must still be detected
            assertThat(rest.get(49).get()).isEqualTo("v49");
            for (int i = 0; i < 50; i++) {
                assertThat(rest.get(i).get()).isEqualTo("v" + i);
            }
            assertThatThrownBy(hung::get).isInstanceOfSatisfying(KernelFileException.class,
                    e -> assertThat(e.kind()).isEqualTo(KernelFileException.Kind.TIMEOUT));
            new FileOutputStream(fifo.toFile()).close();
        }
    }

    @Test
    void anEndlessFileIsCutOffAsTooLarge() {
        try (KernelFiles files = KernelFiles.live()) {
            assertThatThrownBy(() -> files.read("/dev/zero", (d, n) -> n))
                    .isInstanceOfSatisfying(KernelFileException.class,
                            e -> assertThat(e.kind()).isEqualTo(KernelFileException.Kind.TOO_LARGE));
        }
    }

    @Test
    void aParserFailureIsReportedAgainstTheFile() throws Exception {
        write("/proc/loadavg", "garbage\n");
        try (KernelFiles files = KernelFiles.at(root, Duration.ofSeconds(1))) {
            assertThatThrownBy(() -> files.read("/proc/loadavg", dev.nodedoctor.host.LoadAvg.PARSER))
                    .isInstanceOfSatisfying(KernelFileException.class, e -> {
                        assertThat(e.kind()).isEqualTo(KernelFileException.Kind.MALFORMED);
                        assertThat(e.getMessage()).startsWith("/proc/loadavg: malformed (expected a decimal number");
                    });
        }
    }

    @Test
    void aDirectoryThatIsNotALinuxTreeIsRejectedInOneSentence() {
        try (KernelFiles files = KernelFiles.at(root, Duration.ofSeconds(1))) {
            assertThatThrownBy(files::requireLinuxTree)
                    .isInstanceOf(KernelFileException.class)
                    .hasMessageContaining("not a Linux tree");
        }
    }

    @Test
    void walkListsParentsBeforeChildrenAndSkipsNothingThatExists() throws Exception {
        for (String d : List.of("a/b/c", "a/d", "e")) {
            Files.createDirectories(root.resolve("sys/fs/cgroup/cpu").resolve(d));
        }
        Files.writeString(root.resolve("sys/fs/cgroup/cpu/a/cpu.stat"), "x");
        try (KernelFiles files = KernelFiles.at(root, Duration.ofSeconds(1))) {
            assertThat(files.walkDirectories("/sys/fs/cgroup/cpu", 16)).containsExactly("a", "a/b", "a/b/c", "a/d", "e");
            assertThat(files.walkDirectories("/sys/fs/cgroup/cpu", 1)).containsExactly("a", "e");
            assertThatThrownBy(() -> files.walkDirectories("/sys/fs/cgroup/nope", 4))
                    .isInstanceOfSatisfying(KernelFileException.class,
                            e -> assertThat(e.kind()).isEqualTo(KernelFileException.Kind.MISSING));
        }
    }

    @Test
    void readEachSkipsEntriesThatVanished() throws Exception {
        write("/proc/7/task/7/schedstat", "10 20 3\n");
        write("/proc/7/task/8/schedstat", "1 2 3\n");
        Files.createDirectories(root.resolve("proc/7/task/9")); // a thread that exited: no schedstat
        try (KernelFiles files = KernelFiles.at(root, Duration.ofSeconds(1))) {
            List<dev.nodedoctor.host.SchedStat> all =
                    files.submitEach("/proc/7/task", "schedstat", dev.nodedoctor.host.SchedStat.PARSER).get();
            assertThat(all).hasSize(2);
            assertThat(all.stream().mapToLong(dev.nodedoctor.host.SchedStat::waitNanos).sum()).isEqualTo(22);
        }
    }

    @Test
    void keptOpenDescriptorsSeeFreshTextAndExitedProcesses() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "1000").start();
        try (KernelFiles files = KernelFiles.live()) {
            files.keepOpen(16);
            String path = "/proc/" + sleeper.pid() + "/stat";
            dev.nodedoctor.host.ProcessStat first = files.read(path, dev.nodedoctor.host.ProcessStat.PARSER);
            assertThat(first.comm()).isEqualTo("sleep");
            // /proc/PID/schedstat changes as the process runs; the same descriptor re-read gives the new text
            Process busy = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
            try {
                String sched = "/proc/" + busy.pid() + "/schedstat";
                long run1 = files.read(sched, dev.nodedoctor.host.SchedStat.PARSER).runNanos();
                Thread.sleep(200);
                long run2 = files.read(sched, dev.nodedoctor.host.SchedStat.PARSER).runNanos();
                assertThat(run2).isGreaterThan(run1);
            } finally {
                busy.destroyForcibly().waitFor();
            }
            sleeper.destroyForcibly().waitFor();
            assertThatThrownBy(() -> files.read(path, dev.nodedoctor.host.ProcessStat.PARSER))
                    .isInstanceOfSatisfying(KernelFileException.class,
                            e -> assertThat(e.kind()).isEqualTo(KernelFileException.Kind.MISSING));
        } finally {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void translatesErrnoTextsToKinds() {
        assertThat(KernelFileException.of(new java.nio.file.AccessDeniedException("/x"), "/x").kind())
                .isEqualTo(KernelFileException.Kind.PERMISSION);
        assertThat(KernelFileException.of(new IOException("No such process"), "/proc/1/stat").kind())
                .isEqualTo(KernelFileException.Kind.MISSING);
        assertThat(KernelFileException.of(new IOException("Input/output error"), "/x").kind())
                .isEqualTo(KernelFileException.Kind.IO);
    }
}
