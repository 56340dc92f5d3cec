package dev.nodedoctor.cli;

import dev.nodedoctor.report.Json;
import dev.nodedoctor.report.MemoryTable;
import dev.nodedoctor.sample.MemoryInspector;
import dev.nodedoctor.sys.KernelFileException;
import dev.nodedoctor.sys.KernelFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "memory",
        description = "Memory of cgroups: limit, usage, working set (kubectl top), anon, page cache (active/inactive, "
                + "dirty, writeback), shmem, kernel, and the RSS of the processes inside (ps). All limited cgroups, "
                + "one CGROUP, or the cgroup of --pid.")
public final class MemoryCommand implements Callable<Integer> {
    @Mixin
    KernelOptions kernel;

    @Parameters(arity = "0..1", paramLabel = "CGROUP", description = "A cgroup path such as /kubepods/burstable/pod…/….")
    String cgroup;

    @Option(names = "--pid", paramLabel = "PID", description = "Show the memory cgroup of this process.")
    Integer pid;

    @Option(names = "--all", description = "Also list cgroups without a memory limit.")
    boolean all;

    @Option(names = "--limit", paramLabel = "ROWS", description = "Rows, 0 = all (default: ${DEFAULT-VALUE}).")
    int limit = 30;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws KernelFileException {
        if (cgroup != null && pid != null) {
            throw new UserError(ExitCode.USAGE, "give a CGROUP or --pid, not both");
        }
        if (cgroup != null && !cgroup.startsWith("/")) {
            throw new UserError(ExitCode.USAGE, "a cgroup path starts with '/', as in /proc/PID/cgroup: " + cgroup);
        }
        MemoryInspector.View view;
        try (KernelFiles files = kernel.open()) {
            view = MemoryInspector.inspect(files, cgroup, pid);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.pretty(view));
            out.flush();
        } else if (cgroup != null || pid != null) {
            MemoryInspector.Row r = view.rows().get(0);
            MemoryTable.printOne(view, r, PodLabels.of(r.memory().path()), out);
        } else {
            MemoryTable.printAll(view, limit, all, PodLabels::of, out);
        }
        return ExitCode.OK;
    }
}
