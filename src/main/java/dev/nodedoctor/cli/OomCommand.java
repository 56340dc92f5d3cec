package dev.nodedoctor.cli;

import dev.nodedoctor.diagnose.OomExplanation;
import dev.nodedoctor.kernel.KernelEventRules;
import dev.nodedoctor.kernel.OomReport;
import dev.nodedoctor.report.Json;
import dev.nodedoctor.report.OomTable;
import dev.nodedoctor.sys.KernelFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "oom",
        description = {"Every OOM kill in the kernel log, explained: limit, usage at the kill, the sum of the tasks' "
                + "RSS, and the gap between them attributed to page cache, tmpfs/shmem or kernel memory; the cgroup "
                + "mapped to its pod, container and QoS class.",
            "Reads /dev/kmsg (root or CAP_SYSLOG) or FILE: dmesg output, journalctl -k, kern.log; '-' for stdin."})
public final class OomCommand implements Callable<Integer> {
    @Mixin
    KernelOptions kernel;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "A saved kernel log, '-' for standard input (default: /dev/kmsg).")
    String file;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The JSON document: field names are part of the interface. */
    public record Document(String source, List<OomExplanation> kills, List<String> notes) {
    }

    @Override
    public Integer call() throws KernelFileException {
        KernelLogSource.Loaded loaded = KernelLogSource.load(file, kernel, KernelEventRules.builtIn());
        List<OomExplanation> kills = new ArrayList<>();
        for (OomReport r : loaded.scan().oomReports()) {
            kills.add(OomExplanation.of(r));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.pretty(new Document(loaded.name(), kills, loaded.scan().notes())));
            out.flush();
        } else {
            OomTable.print(kills, loaded.name(), loaded.scan().notes(), out);
        }
        return ExitCode.OK;
    }
}
