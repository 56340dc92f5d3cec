package dev.nodedoctor.trace;

import dev.nodedoctor.sys.KernelFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The runner's checks and advice that need no ptrace: command line, missing strace or process, Yama. */
class StraceRunnerTest {
    @TempDir
    Path tmp;

    @Test
    void commandAsksForBothViewsAndFilePaths() {
        assertThat(StraceRunner.command(Path.of("/usr/bin/strace"), new StraceRunner.Request(42, Duration.ofSeconds(1), true),
                Path.of("/tmp/o"))).containsExactly("/usr/bin/strace", "-C", "-tt", "-T", "-y", "-f", "-o", "/tmp/o", "-p", "42");
    }

    @Test
    void ptraceAdviceReadsYamaScope() throws Exception {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("proc/sys/kernel/yama"));
        try (KernelFiles files = KernelFiles.at(root, Duration.ofSeconds(2))) {
            StraceRunner r = new StraceRunner(files, null);
            assertThat(r.ptraceAdvice()).contains("no Yama LSM", "CAP_SYS_PTRACE", "SYS_PTRACE");
            Files.writeString(root.resolve("proc/sys/kernel/yama/ptrace_scope"), "1\n");
            assertThat(r.ptraceAdvice()).contains("kernel.yama.ptrace_scope is 1", "only descendants", "CAP_SYS_PTRACE");
            Files.writeString(root.resolve("proc/sys/kernel/yama/ptrace_scope"), "3\n");
            assertThat(r.ptraceAdvice()).contains("no ptrace at all until reboot");
        }
    }

    @Test
    void missingStraceAndProcessAreTypedErrors() throws Exception {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("proc/7"));
        Files.writeString(root.resolve("proc/7/stat"), "7 (x) S");
        Path fakeStrace = Files.writeString(tmp.resolve("strace"), "#!/bin/sh\nexit 0\n");
        try (KernelFiles files = KernelFiles.at(root, Duration.ofSeconds(2))) {
            assertThatThrownBy(() -> new StraceRunner(files, tmp.resolve("none")).run(
                    new StraceRunner.Request(7, Duration.ofMillis(10), false)))
                    .isInstanceOfSatisfying(TraceException.class, e -> {
                        assertThat(e.kind()).isEqualTo(TraceException.Kind.MISSING);
                        assertThat(e.getMessage()).contains("apt-get install strace");
                    });
            fakeStrace.toFile().setExecutable(true);
            assertThatThrownBy(() -> new StraceRunner(files, fakeStrace).run(
                    new StraceRunner.Request(8, Duration.ofMillis(10), false)))
                    .isInstanceOfSatisfying(TraceException.class,
                            e -> assertThat(e.kind()).isEqualTo(TraceException.Kind.NO_PROCESS));
        }
    }
}
