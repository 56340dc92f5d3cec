package dev.nodedoctor.cli;

import dev.nodedoctor.capture.CapturedWindow;
import dev.nodedoctor.cgroup.CgroupLayout;
import dev.nodedoctor.report.HostSummary;
import dev.nodedoctor.report.Json;
import dev.nodedoctor.report.TopTable;
import dev.nodedoctor.sample.CgroupDelta;
import dev.nodedoctor.sample.Delta;
import dev.nodedoctor.sample.ProcessDelta;
import dev.nodedoctor.sample.Sampler;
import dev.nodedoctor.sample.SelfCost;
import dev.nodedoctor.sample.Snapshot;
import dev.nodedoctor.sys.KernelFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "top", mixinStandardHelpOptions = true,
        description = "Live table of processes and cgroups (containers) sorted by CPU, like pidstat and docker "
                + "stats together. CPU is in percent of one core.")
public final class TopCommand implements Callable<Integer> {
    /** Descriptors kept open across refreshes; far below the JVM's raised soft limit (the hard limit). */
    static final int KEEP_OPEN = 4096;

    @Mixin
    KernelOptions kernel;

    @Option(names = {"-i", "--interval"}, paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Refresh interval (default: ${DEFAULT-VALUE}).")
    Duration interval = Duration.ofSeconds(1);

    @Option(names = {"-n", "--count"}, paramLabel = "COUNT", description = "Stop after COUNT refreshes (default: run until Ctrl-C).")
    int count;

    @Option(names = "--processes", description = "Show processes (default: processes and cgroups).")
    boolean processes;

    @Option(names = "--cgroups", description = "Show cgroups (default: processes and cgroups).")
    boolean cgroups;

    @Option(names = "--limit", paramLabel = "ROWS", description = "Rows per table, 0 = all (default: ${DEFAULT-VALUE}).")
    int limit = 20;

    @Option(names = "--all", description = "Include rows that used no CPU in the interval.")
    boolean all;

    @Option(names = "--no-runqueue", description = "Skip per-thread schedstat reads (cheaper on nodes with very many threads).")
    boolean noRunqueue;

    @Option(names = "--json", description = "One JSON object per refresh, one per line.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (count < 0 || limit < 0) {
            throw new UserError(ExitCode.USAGE, "--count and --limit must not be negative");
        }
        if (interval.toMillis() < 10) {
            throw new UserError(ExitCode.USAGE, "--interval must be at least 10ms");
        }
        boolean showProcesses = processes || !cgroups;
        boolean showCgroups = cgroups || !processes;
        PrintWriter out = spec.commandLine().getOut();
        boolean clear = !json && System.console() != null;
        try (KernelFiles files = kernel.open(); KernelFiles live = KernelFiles.live()) {
            // the same few hundred files every second: keep them open, re-read from offset 0
            files.keepOpen(KEEP_OPEN);
            CgroupLayout layout = CgroupLayout.discover(files);
            Sampler sampler = new Sampler(files, layout, new Sampler.Options(showProcesses, showCgroups, !noRunqueue));
            var captured = CapturedWindow.snapshots(files, sampler, sampler.options());
            Snapshot prev = captured.isPresent() ? captured.get()[0] : sampler.snapshot();
            SelfCost selfBefore = SelfCost.now(live);
            for (int i = 0; count == 0 || i < count; i++) {
                long next = prev.monotonicNanos() + interval.toNanos();
                long wait = next - System.nanoTime();
                if (wait > 0 && files.isLive()) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                Snapshot now = captured.isPresent() ? captured.get()[1] : sampler.snapshot();
                Delta d = Delta.between(prev, now);
                prev = now;
                List<ProcessDelta> procs = filterProcesses(d.processes());
                List<TopTable.Row> rows = new ArrayList<>();
                for (CgroupDelta g : d.cgroups()) {
                    if (all || g.cpuPercent() > 0 || g.throttledPeriods() > 0) {
                        rows.add(TopTable.row(g, PodLabels::of));
                    }
                }
                if (json) {
                    out.println(Json.line(new TopTable.Frame(Instant.now().toString(), d.seconds(),
                            HostSummary.of(d.host()), showProcesses ? limited(procs) : List.of(),
                            showCgroups ? limited(rows) : List.of())));
                    out.flush();
                } else {
                    if (clear) {
                        out.print("\033[H\033[2J");
                    } else if (i > 0) {
                        out.println();
                    }
                    TopTable.printFrame(d, rows, showProcesses, showCgroups, limit, PodLabels::of, out);
                    SelfCost selfNow = SelfCost.now(live);
                    out.printf(java.util.Locale.ROOT, "%nnodedoctor itself: %.2f%% of a core in this interval, RSS %d MiB%n",
                            selfNow.percentOfCoreSince(selfBefore, d.seconds()), selfNow.rssKib() / 1024);
                    out.flush();
                    selfBefore = selfNow;
                    if (i == 0 && !d.notes().isEmpty()) {
                        d.notes().forEach(n -> out.println("note: " + n));
                        out.flush();
                    }
                }
                if (!files.isLive()) {
                    break; // a captured tree does not change: one frame says it all
                }
            }
        }
        return ExitCode.OK;
    }

    private List<ProcessDelta> filterProcesses(List<ProcessDelta> list) {
        if (all) {
            return list;
        }
        List<ProcessDelta> out = new ArrayList<>();
        for (ProcessDelta p : list) {
            if (p.cpuPercent() > 0) {
                out.add(p);
            }
        }
        return out;
    }

    private <T> List<T> limited(List<T> list) {
        return limit > 0 && list.size() > limit ? list.subList(0, limit) : list;
    }
}
