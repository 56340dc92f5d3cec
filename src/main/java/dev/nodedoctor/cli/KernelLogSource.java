package dev.nodedoctor.cli;

import dev.nodedoctor.kernel.KernelEventRules;
import dev.nodedoctor.kernel.KernelLog;
import dev.nodedoctor.kernel.KernelLogScan;
import dev.nodedoctor.kernel.KmsgReader;
import dev.nodedoctor.sys.KernelFileException;
import dev.nodedoctor.sys.KernelFiles;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Where `kernel-log` and `oom` read the kernel log from: a saved file, standard input, or /dev/kmsg. */
final class KernelLogSource {
    /** @param name how to name the source to the user */
    record Loaded(String name, KernelLogScan scan) {
    }

    private KernelLogSource() {
    }

    /** @param file a saved log, "-" for standard input, or null for /dev/kmsg under --root */
    static Loaded load(String file, KernelOptions kernel, KernelEventRules rules) throws KernelFileException {
        if (file == null) {
            try (KernelFiles files = kernel.open()) {
                KernelLog log = new KmsgReader(files).read();
                return new Loaded(KmsgReader.PATH, KernelLogScan.of(log, rules));
            }
        }
        if (file.equals("-")) {
            return new Loaded("standard input",
                    scan(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), rules));
        }
        Path p = Path.of(file);
        if (Files.isDirectory(p)) {
            throw new UserError(ExitCode.BAD_INPUT, file + ": is a directory, not a log file");
        }
        // an InputStreamReader replaces bytes that are not UTF-8 instead of failing: logs hold such bytes
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(p), StandardCharsets.UTF_8), 1 << 16)) {
            return new Loaded(file, scan(in, rules));
        } catch (NoSuchFileException e) {
            throw new UserError(ExitCode.BAD_INPUT, file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new UserError(ExitCode.PERMISSION, file + ": permission denied");
        } catch (IOException e) {
            throw new UserError(ExitCode.BAD_INPUT, file + ": " + e.getMessage());
        }
    }

    private static KernelLogScan scan(BufferedReader in, KernelEventRules rules) {
        try {
            return KernelLogScan.scan(in, rules);
        } catch (IOException e) {
            throw new UserError(ExitCode.BAD_INPUT, e.getMessage());
        }
    }
}
