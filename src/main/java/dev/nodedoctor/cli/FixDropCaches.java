package dev.nodedoctor.cli;

import dev.nodedoctor.cgroup.CgroupLayout;
import dev.nodedoctor.sample.Sampler;
import dev.nodedoctor.sys.DropCaches;
import dev.nodedoctor.sys.KernelFileException;
import dev.nodedoctor.sys.KernelFiles;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;

/** `diagnose --fix drop-caches`: say what will happen, sync, drop, and show the dying-cgroup count after. */
final class FixDropCaches {
    static final int MODE = 3;

    private FixDropCaches() {
    }

    static void run(KernelFiles files, PrintWriter out) throws KernelFileException, InterruptedException {
        Sampler memoryOnly = new Sampler(files, CgroupLayout.discover(files), new Sampler.Options(false, false, false, true));
        long before = memoryOnly.snapshot().memory().dyingMemoryCgroups();
        out.println();
        out.println("--fix drop-caches: nodedoctor will now run `sync` and " + DropCaches.describe(MODE) + ".");
        out.println("  No data is lost (only clean, re-readable memory is freed); the next reads go to disk.");
        out.flush();
        try {
            Process sync = new ProcessBuilder("sync").inheritIO().start();
            sync.waitFor();
        } catch (IOException e) {
            out.println("  (sync could not run: " + e.getMessage() + "; dirty pages stay cached)");
        }
        Duration took = DropCaches.drop(MODE, Duration.ofMinutes(2));
        Thread.sleep(2000); // the kernel frees released cgroups asynchronously (RCU, workqueues)
        long after = memoryOnly.snapshot().memory().dyingMemoryCgroups();
        out.printf("  done in %d ms; dying memory cgroups: %s before, %s after%n", took.toMillis(),
                before < 0 ? "?" : before, after < 0 ? "?" : after);
        out.flush();
    }
}
