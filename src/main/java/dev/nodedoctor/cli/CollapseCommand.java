package dev.nodedoctor.cli;

import dev.nodedoctor.profile.FoldedStacks;
import dev.nodedoctor.profile.ParallelCollapse;
import dev.nodedoctor.profile.PerfCollapse;
import dev.nodedoctor.profile.ProfileFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.SequenceInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/** `nodedoctor collapse`: perf script output → folded stacks, as stackcollapse-perf.pl. */
@Command(name = "collapse", mixinStandardHelpOptions = true,
        description = {"Folds `perf script` output into one line per stack (`comm;root;…;leaf count`), with the "
                + "rules of FlameGraph's stackcollapse-perf.pl: counts are perf periods, only the first event type "
                + "is kept unless --event-filter says otherwise.",
            "Capture: perf record -g -a -- sleep 10; perf script > out.perf"})
public final class CollapseCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "perf script output, plain or gzipped; - or none for stdin. Several files are read one after "
                    + "the other as one stream, as the script reads its arguments.")
    List<String> sources = new ArrayList<>(List.of("-"));

    @Option(names = "--pid", description = "Add the process id to the process name (comm-PID).")
    boolean pid;

    @Option(names = "--tid", description = "Add process and thread id (comm-PID/TID).")
    boolean tid;

    @Option(names = "--kernel", description = "Mark kernel frames with _[k].")
    boolean kernel;

    @Option(names = "--jit", description = "Mark JIT frames (/tmp/perf-PID.map) with _[j].")
    boolean jit;

    @Option(names = "--all", description = "Both --kernel and --jit.")
    boolean all;

    @Option(names = "--addrs", description = "Keep the raw address of frames without a symbol ([module <addr>]).")
    boolean addrs;

    @Option(names = "--event-filter", paramLabel = "EVENT",
            description = "Keep samples of this event (default: the first event type in the input).")
    String eventFilter;

    @Option(names = {"-j", "--threads"}, paramLabel = "N",
            description = "Threads for a large plain file (default: the CPUs this process may use, at most 4; "
                    + "1 for one pass). The output is the same.")
    Integer threads;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the folded stacks here (default: stdout).")
    Path output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * The inputs one after the other, each gunzipped if it is gzip, all opened first so that a missing file is
     * an error before any work. Perl's {@code <>} reads its files as one stream, its state going on from one
     * file into the next: so does this (one thread).
     */
    private InputStream concatenated() throws IOException {
        List<InputStream> opened = new ArrayList<>();
        try {
            for (String s : sources) {
                opened.add(StackInput.open(s));
            }
        } catch (IOException | RuntimeException e) {
            for (InputStream in : opened) {
                in.close();
            }
            throw e;
        }
        return opened.size() == 1 ? opened.get(0) : new SequenceInputStream(java.util.Collections.enumeration(opened)) {
            @Override
            public void close() throws IOException {
                for (InputStream in : opened) {
                    in.close();
                }
            }
        };
    }

    /** The CPUs this process may use (cgroup limits included), at most 4: parts beyond gain little, cost memory. */
    static int defaultThreads() {
        return Math.min(4, Runtime.getRuntime().availableProcessors());
    }

    @Override
    public Integer call() throws IOException {
        PerfCollapse.Options o = new PerfCollapse.Options(pid, tid, kernel || all, jit || all, addrs, eventFilter);
        PrintWriter err = spec.commandLine().getErr();
        if (threads != null && threads < 1) {
            throw new UserError(ExitCode.USAGE, "--threads must be at least 1");
        }
        int n = threads != null ? threads : defaultThreads();
        Consumer<String> warn = w -> {
            err.println("nodedoctor: " + w);
            err.flush();
        };
        FoldedStacks folded;
        try {
            Path plain = sources.size() == 1 ? StackInput.plainFile(sources.get(0)) : null;
            if (plain != null) {
                folded = ParallelCollapse.collapse(plain, sources.get(0), o, n, warn);
            } else {
                try (InputStream in = concatenated()) {
                    folded = PerfCollapse.collapse(in, String.join(" + ", sources), o, warn);
                }
            }
        } catch (ProfileFormatException e) {
            throw new UserError(ExitCode.BAD_INPUT, e.getMessage());
        }
        spec.commandLine().getOut().flush();
        try (OutputStream out = StackInput.output(output)) {
            folded.write(out);
        }
        return ExitCode.OK;
    }
}
