package dev.nodedoctor.scenario;

import dev.nodedoctor.cgroup.CgroupLayout;
import dev.nodedoctor.sample.Delta;
import dev.nodedoctor.sample.ProcessDelta;
import dev.nodedoctor.sample.Sampler;
import dev.nodedoctor.sample.Snapshot;
import dev.nodedoctor.sys.KernelFiles;
import dev.nodedoctor.testkit.ScratchCgroups;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The sampler on the live kernel: real processes, real churn. */
class LiveSamplingTest {

    @Test
    void aBusyProcessShowsAboutOneCoreLikeTheJdkSees() throws Exception {
        Process busy = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        try (KernelFiles files = KernelFiles.live()) {
            Sampler sampler = new Sampler(files, CgroupLayout.discover(files), Sampler.Options.ALL);
            Thread.sleep(200);
            Duration cpu0 = busy.info().totalCpuDuration().orElseThrow();
            Snapshot a = sampler.snapshot();
            Thread.sleep(1500);
            Snapshot b = sampler.snapshot();
            Duration cpu1 = busy.info().totalCpuDuration().orElseThrow();
            Delta d = Delta.between(a, b);
            ProcessDelta p = d.processes().stream().filter(x -> x.pid() == busy.pid()).findFirst().orElseThrow();
            // the JDK's own reading of the same process over (almost) the same window
            double jdkPercent = (cpu1.toNanos() - cpu0.toNanos()) / 1e7 / d.seconds();
            assertThat(p.cpuPercent()).isCloseTo(jdkPercent, within(15.0));
            // one thread: at most one core; how much of it depends on what else the machine runs
            assertThat(p.cpuPercent()).isBetween(1.0, 105.0);
            assertThat(p.userPercent()).isGreaterThan(p.systemPercent());
            assertThat(p.threads()).isEqualTo(1);
            assertThat(p.name()).isEqualTo("sh");
            assertThat(d.host().cpus()).isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(d.host().all().busy()).isGreaterThan(p.cpuPercent() / d.host().cpus() - 5);
        } finally {
            busy.destroyForcibly().waitFor();
        }
    }

    @Test
    void cgroupsAndProcessesThatVanishMidPassAreSkippedQuietly() throws Exception {
        try (ScratchCgroups cg = ScratchCgroups.requireV1Cpu(); KernelFiles files = KernelFiles.live()) {
            String parent = cg.create("", "cpu", "cpuacct");
            AtomicBoolean stop = new AtomicBoolean();
            List<Throwable> churnErrors = new ArrayList<>();
            Thread churn = new Thread(() -> {
                try {
                    for (int i = 0; !stop.get(); i++) {
                        Path d = Path.of("/sys/fs/cgroup/cpu" + parent, "c" + (i % 40));
                        if (Files.exists(d)) {
                            Files.delete(d);
                        } else {
                            Files.createDirectory(d);
                        }
                        if (i % 10 == 0) {
                            new ProcessBuilder("true").start(); // short-lived processes
                        }
                    }
                } catch (Throwable t) {
                    churnErrors.add(t);
                }
            });
            churn.start();
            Sampler sampler = new Sampler(files, CgroupLayout.discover(files), Sampler.Options.ALL);
            List<String> notes = new ArrayList<>();
            try {
                for (int i = 0; i < 15; i++) {
                    Snapshot s = sampler.snapshot();
                    notes.addAll(s.notes());
                    assertThat(s.processes()).isNotEmpty();
                    assertThat(s.cgroups()).containsKey("/");
                }
            } finally {
                stop.set(true);
                churn.join();
            }
            assertThat(churnErrors).isEmpty();
            // vanishing is normal life on a node, not an error to report
            assertThat(notes).as("notes: %s", notes).noneMatch(n -> n.contains("malformed") || n.contains("I/O error"));
        }
    }
}
