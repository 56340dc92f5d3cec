package dev.nodedoctor.capture;

import dev.nodedoctor.cgroup.CgroupLayout;
import dev.nodedoctor.sample.Sampler;
import dev.nodedoctor.sys.KernelFileException;
import dev.nodedoctor.sys.KernelFiles;
import dev.nodedoctor.sys.Parser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * `nodedoctor capture`: a support bundle. It runs the same reads as `diagnose` with a recorder attached, so
 * the bundle holds exactly the files nodedoctor would read, plus a few context files that make a report
 * readable elsewhere (kernel version, memory, mountinfo).
 */
public final class Capture {
    /** Context files; missing ones (no PSI, no slabinfo permission) are skipped. */
    static final List<String> CONTEXT = List.of("/proc/version", "/proc/sys/kernel/osrelease", "/proc/uptime",
            "/proc/cgroups", "/proc/meminfo", "/proc/vmstat", "/proc/softirqs", "/proc/interrupts",
            "/proc/1/mountinfo", "/proc/self/mountinfo", "/proc/net/snmp", "/proc/net/netstat",
            "/sys/devices/system/cpu/online");

    public record Summary(int files, long bytes, List<String> skipped) {
    }

    private Capture() {
    }

    public static Summary run(KernelFiles files, Path out, boolean redactCommandLines) throws IOException {
        BundleWriter bundle = new BundleWriter();
        files.record(redactCommandLines ? new RedactingRecorder(bundle) : bundle);
        List<String> skipped = new ArrayList<>();
        try {
            for (String path : CONTEXT) {
                try {
                    files.read(path, Parser.TEXT);
                } catch (KernelFileException e) {
                    skipped.add(e.getMessage());
                }
            }
            CgroupLayout layout = CgroupLayout.discover(files);
            new Sampler(files, layout, Sampler.Options.ALL).snapshot();
        } finally {
            files.record(null);
        }
        String manifest = "{\"tool\":\"nodedoctor\",\"captured\":\"" + Instant.now() + "\",\"root\":\""
                + files.root().toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}\n";
        bundle.extra("nodedoctor-capture.json", manifest.getBytes(StandardCharsets.UTF_8));
        bundle.writeTo(out);
        return new Summary(bundle.fileCount(), bundle.byteCount(), skipped);
    }

    /** Keeps argv[0] of each command line and drops the arguments, which may hold secrets. */
    static final class RedactingRecorder implements dev.nodedoctor.sys.ReadRecorder {
        private final BundleWriter target;

        RedactingRecorder(BundleWriter target) {
            this.target = target;
        }

        @Override
        public void file(String path, byte[] content, int length) {
            if (path.endsWith("/cmdline") && path.startsWith("/proc/")) {
                int n = 0;
                while (n < length && content[n] != 0) {
                    n++;
                }
                target.file(path, content, n);
            } else {
                target.file(path, content, length);
            }
        }

        @Override
        public void directory(String path) {
            target.directory(path);
        }
    }
}
