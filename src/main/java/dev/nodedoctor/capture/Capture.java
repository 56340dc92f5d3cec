package dev.nodedoctor.capture;

import dev.nodedoctor.cgroup.CgroupLayout;
import dev.nodedoctor.probe.TcpCounters;
import dev.nodedoctor.sample.Sampler;
import dev.nodedoctor.sys.KernelFileException;
import dev.nodedoctor.sys.KernelFiles;
import dev.nodedoctor.sys.Parser;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * Records two moments {@code window} apart (the earlier under {@link CapturedWindow#BEFORE}), so that
     * rates can be computed from the bundle. A zero window records one moment.
     */
    public static Summary run(KernelFiles files, Path out, boolean redactCommandLines, Duration window)
            throws IOException, InterruptedException {
        BundleWriter bundle = new BundleWriter();
        files.record(redactCommandLines ? new RedactingRecorder(bundle) : bundle);
        List<String> skipped = new ArrayList<>();
        double seconds = 0;
        try {
            if (!window.isZero()) {
                bundle.prefix(CapturedWindow.BEFORE);
            }
            CgroupLayout layout = CgroupLayout.discover(files);
            Sampler sampler = new Sampler(files, layout, Sampler.Options.ALL);
            if (!window.isZero()) {
                long t0 = sampler.snapshot().monotonicNanos();
                // the TCP counters of the earlier moment too, so that `diagnose --root` gets their rates
                for (String path : List.of(TcpCounters.NETSTAT, TcpCounters.SNMP)) {
                    try {
                        files.read(path, Parser.TEXT);
                    } catch (KernelFileException e) {
                        skipped.add(e.getMessage());
                    }
                }
                Thread.sleep(window.toMillis());
                bundle.prefix("");
                CgroupLayout.discover(files); // the later moment needs its own mountinfo copy
                seconds = (sampler.snapshot().monotonicNanos() - t0) / 1e9;
            } else {
                sampler.snapshot();
            }
            for (String path : CONTEXT) {
                try {
                    files.read(path, Parser.TEXT);
                } catch (KernelFileException e) {
                    skipped.add(e.getMessage());
                }
            }
        } finally {
            files.record(null);
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("tool", "nodedoctor");
        manifest.put("captured", Instant.now().toString());
        manifest.put("root", files.root().toString());
        manifest.put("windowSeconds", seconds);
        bundle.extra(CapturedWindow.MANIFEST, new ObjectMapper().writeValueAsBytes(manifest));
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
