package dev.nodedoctor.kernel;

import dev.nodedoctor.sys.KernelFileException;
import dev.nodedoctor.sys.KernelFiles;

import java.time.Duration;

/**
 * Reads the kernel's log ring from {@code /dev/kmsg}, from its oldest record to the newest, and returns.
 * <p>
 * How "the newest" is found: {@code /dev/kmsg} gives one record per read(2) and blocks once the reader has
 * caught up, unless it was opened with O_NONBLOCK (then EAGAIN) — which is what {@code dmesg} does, and what
 * the JDK cannot do. Options were (a) stop at a sequence number learnt elsewhere: no file exposes the ring's
 * last sequence number; (b) run {@code dmesg -r}: an external tool that may be missing in a container, and
 * it cannot honour {@code --root}; (c) read on {@link KernelFiles}' reader thread and take a pause of
 * {@link #DEFAULT_IDLE} with no new record as the end of the ring. We chose (c): the records already in the
 * ring arrive microseconds apart, so a quarter second of silence is unambiguous, the read stays behind
 * KernelFiles' root prefix, deadline and typed errors, and a saved kmsg file under {@code --root} (a capture)
 * simply ends at EOF. Records overwritten while we read (EPIPE) are skipped by KernelFiles; the gap in the
 * sequence numbers is reported in {@link KernelLog#notes()}.
 */
public final class KmsgReader {
    public static final String PATH = "/dev/kmsg";
    /** Silence that means "end of the ring". */
    public static final Duration DEFAULT_IDLE = Duration.ofMillis(250);

    private final KernelFiles files;
    private final Duration idle;

    public KmsgReader(KernelFiles files) {
        this.files = files;
        // the idle pause must fit inside the per-read deadline (a --deadline below 0.5 s shortens it)
        Duration half = files.deadline().dividedBy(2);
        this.idle = half.compareTo(DEFAULT_IDLE) < 0 ? half : DEFAULT_IDLE;
    }

    /** The whole ring as lines. PERMISSION names CAP_SYSLOG and kernel.dmesg_restrict. */
    public KernelLog read() throws KernelFileException {
        try {
            return files.readUntilIdle(PATH, idle, KernelLogParser::parse);
        } catch (KernelFileException e) {
            if (e.kind() == KernelFileException.Kind.PERMISSION) {
                throw new KernelFileException(KernelFileException.Kind.PERMISSION, PATH,
                        "reading the kernel log needs CAP_SYSLOG while kernel.dmesg_restrict=" + dmesgRestrict()
                                + "; run as root, or pass a saved log: nodedoctor kernel-log FILE (dmesg, journalctl -k, kern.log)");
            }
            throw e;
        }
    }

    private String dmesgRestrict() {
        try {
            return files.readText("/proc/sys/kernel/dmesg_restrict").strip();
        } catch (KernelFileException e) {
            return "1";
        }
    }
}
