package dev.nodedoctor.cli;

import dev.nodedoctor.capture.BundleReader;
import dev.nodedoctor.sys.KernelFileException;
import dev.nodedoctor.sys.KernelFiles;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Options of every command that reads the kernel: where the tree is and how long a read may take. */
public final class KernelOptions {
    @Option(names = "--root", paramLabel = "DIR|BUNDLE",
            description = "Read /proc and /sys under DIR (a host mounted at /host, an extracted capture) "
                    + "or from a capture bundle (.tar.gz). Default: /")
    Path root = Path.of("/");

    @Option(names = "--deadline", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Give up on one kernel file read after this long and report it (default: ${DEFAULT-VALUE}).")
    Duration deadline = KernelFiles.DEFAULT_DEADLINE;

    /** Opens the tree, unpacking a bundle first; a wrong root is one clear error (exit 3). */
    public KernelFiles open() {
        Path dir = root;
        if (BundleReader.looksLikeBundle(root)) {
            try {
                dir = BundleReader.unpack(root);
            } catch (IOException e) {
                throw new UserError(ExitCode.BAD_INPUT, e.getMessage());
            }
        } else if (!Files.exists(root)) {
            throw new UserError(ExitCode.BAD_INPUT, "--root " + root + ": no such file or directory");
        }
        if (deadline.isZero() || deadline.isNegative()) {
            throw new UserError(ExitCode.USAGE, "--deadline must be positive");
        }
        KernelFiles files = KernelFiles.at(dir, deadline);
        try {
            files.requireLinuxTree();
        } catch (KernelFileException e) {
            files.close();
            if (e.kind() == KernelFileException.Kind.PERMISSION) {
                throw new UserError(ExitCode.PERMISSION, e.getMessage());
            }
            throw new UserError(ExitCode.BAD_INPUT, "--root " + root + ": " + e.getMessage().replaceFirst("^[^:]*: ", ""));
        }
        return files;
    }
}
