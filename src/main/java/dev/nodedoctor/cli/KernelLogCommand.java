package dev.nodedoctor.cli;

import dev.nodedoctor.kernel.KernelEvent;
import dev.nodedoctor.kernel.KernelEventRules;
import dev.nodedoctor.kernel.KernelLog;
import dev.nodedoctor.kernel.KernelLogScan;
import dev.nodedoctor.kernel.KmsgReader;
import dev.nodedoctor.report.Json;
import dev.nodedoctor.report.KernelLogTable;
import dev.nodedoctor.sys.KernelFileException;
import dev.nodedoctor.sys.KernelFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code nodedoctor kernel-log [FILE] [--kind K] [--json]}: the kernel-log problems (OOM kills, hung tasks,
 * soft lockups, RCU stalls, page allocation failures) in /dev/kmsg or a saved log. Reads and renders only.
 */
@Command(name = "kernel-log", mixinStandardHelpOptions = true,
        description = {"List the problems the kernel logged: OOM kills, hung tasks, soft lockups, RCU stalls,"
                + " page allocation failures.",
            "Reads /dev/kmsg (root or CAP_SYSLOG), or FILE: dmesg (with or without -T/-t), /dev/kmsg records,"
                + " kern.log / syslog, journalctl -k; '-' reads standard input."})
public final class KernelLogCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KernelOptions kernel;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "a saved kernel log, '-' for standard input (default: /dev/kmsg)")
    String file;

    @Option(names = "--kind", paramLabel = "KIND", split = ",",
            description = "only these kinds or groups: oom, hung-task, soft-lockup, rcu-stall, page-allocation-failure,"
                    + " or a kind such as oom-kill-memcg")
    List<String> kinds = new ArrayList<>();

    @Option(names = "--json", description = "print one JSON object: events, OOM reports, notes")
    boolean json;

    @Override
    public Integer call() throws KernelFileException {
        KernelEventRules rules = KernelEventRules.builtIn();
        for (String k : kinds) {
            if (!rules.kindsAndGroups().contains(k)) {
                throw new UserError(ExitCode.USAGE, "--kind " + k + ": unknown; one of " + String.join(", ", rules.kindsAndGroups()));
            }
        }
        String source;
        KernelLogScan scan;
        if (file == null) {
            source = KmsgReader.PATH;
            try (KernelFiles files = kernel.open()) {
                KernelLog log = new KmsgReader(files).read();
                scan = KernelLogScan.of(log, rules);
            }
        } else if (file.equals("-")) {
            source = "standard input";
            scan = scan(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), rules);
        } else {
            source = file;
            Path p = Path.of(file);
            if (Files.isDirectory(p)) {
                throw new UserError(ExitCode.BAD_INPUT, file + ": is a directory, not a log file");
            }
            // an InputStreamReader replaces bytes that are not UTF-8 instead of failing: logs hold such bytes
            try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(p), StandardCharsets.UTF_8), 1 << 16)) {
                scan = scan(in, rules);
            } catch (NoSuchFileException e) {
                throw new UserError(ExitCode.BAD_INPUT, file + ": no such file");
            } catch (AccessDeniedException e) {
                throw new UserError(ExitCode.PERMISSION, file + ": permission denied");
            } catch (IOException e) {
                throw new UserError(ExitCode.BAD_INPUT, file + ": " + e.getMessage());
            }
        }
        List<KernelEvent> events = scan.events().stream()
                .filter(e -> kinds.isEmpty() || kinds.stream().anyMatch(e::is)).toList();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("source", source);
            doc.put("lines", scan.lines());
            doc.put("events", events);
            doc.put("oomReports", kinds.isEmpty() || kinds.contains("oom") ? scan.oomReports() : List.of());
            doc.put("notes", scan.notes());
            out.println(Json.line(doc));
        } else {
            KernelLogScan shown = kinds.isEmpty() || kinds.contains("oom") ? scan
                    : new KernelLogScan(scan.lines(), scan.events(), List.of(), scan.notes());
            KernelLogTable.print(shown, events, source, out);
        }
        out.flush();
        return ExitCode.OK;
    }

    private static KernelLogScan scan(BufferedReader in, KernelEventRules rules) {
        try {
            return KernelLogScan.scan(in, rules);
        } catch (IOException e) {
            throw new UserError(ExitCode.BAD_INPUT, e.getMessage());
        }
    }
}
