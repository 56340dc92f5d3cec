package dev.nodedoctor.cli;

import dev.nodedoctor.diagnose.Finding;
import dev.nodedoctor.diagnose.Observations;
import dev.nodedoctor.diagnose.RuleCatalogue;
import dev.nodedoctor.diagnose.Thresholds;
import dev.nodedoctor.profile.CallGraph;
import dev.nodedoctor.profile.DiffBase;
import dev.nodedoctor.profile.PprofProfile;
import dev.nodedoctor.profile.PprofReader;
import dev.nodedoctor.profile.PprofTop;
import dev.nodedoctor.profile.ProfileFormatException;
import dev.nodedoctor.profile.ProfileSummary;
import dev.nodedoctor.profile.SampleFilter;
import dev.nodedoctor.report.FindingsReport;
import dev.nodedoctor.report.Json;
import dev.nodedoctor.report.PprofTopText;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** `nodedoctor pprof top|list`: go tool pprof's text reports on a Go profile.proto (file, stdin or URL). */
@Command(name = "pprof", mixinStandardHelpOptions = true,
        description = "Reports on Go pprof profiles (CPU, heap, …): the tables go tool pprof prints.",
        subcommands = {PprofCommand.Top.class, PprofCommand.ListLines.class})
public final class PprofCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static PprofProfile load(String source) throws IOException {
        byte[] data = ProfileInput.readAll(source, System.in);
        try {
            PprofProfile p = PprofReader.parse(data, source);
            if (p.samples().isEmpty()) {
                throw new UserError(ExitCode.BAD_INPUT, source + ": the profile has no samples (nothing was "
                        + "recorded: an idle program, or a profile cut short)");
            }
            return p;
        } catch (ProfileFormatException e) {
            throw new UserError(ExitCode.BAD_INPUT, e.getMessage());
        }
    }

    /** `pprof top --json`: the table and the findings about the profile. */
    record TopJson(PprofTop.Report top, List<Finding> findings) {
    }

    @Command(name = "top", mixinStandardHelpOptions = true,
            description = "The functions with the most samples: flat, flat%%, sum%%, cum, cum%% as `go tool pprof -top`.")
    static final class Top implements Callable<Integer> {
        @Parameters(paramLabel = "PROFILE", description = "profile.proto file (gzipped or plain), - for stdin, or "
                + "an http(s) URL such as http://host:6060/debug/pprof/heap")
        String source;

        @Option(names = {"--sample-index", "--sample_index"}, paramLabel = "TYPE",
                description = "Sample type to report: alloc_objects, alloc_space, inuse_objects, inuse_space, "
                        + "samples, cpu, or its number (default: the profile's default type, else the last).")
        String sampleIndex;

        @Option(names = {"-n", "--nodecount"}, paramLabel = "N", description = "Show only the first N rows (default: all).")
        int nodeCount;

        @Option(names = "--cum", description = "Sort by cumulative value.")
        boolean cum;

        @Option(names = "--lines", description = "One row per source line, not per function (as pprof -lines).")
        boolean lines;

        @Option(names = {"--diff-base", "--diff_base"}, paramLabel = "BASE",
                description = "Show PROFILE minus BASE (as pprof -diff_base): what grew is positive, what shrank "
                        + "negative, percentages of BASE's total. A file, - or URL, of the same sample types.")
        String diffBase;

        @Option(names = "--focus", paramLabel = "REGEX",
                description = "Only samples through a function, source file or binary matching REGEX (as pprof -focus); "
                        + "percentages stay of the whole profile.")
        String focus;

        @Option(names = "--ignore", paramLabel = "REGEX",
                description = "Drop samples through a function, source file or binary matching REGEX (as pprof -ignore).")
        String ignore;

        @Option(names = "--json", description = "Print the table as JSON.")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (nodeCount < 0) {
                throw new UserError(ExitCode.USAGE, "-n must be 0 (all) or more");
            }
            SampleFilter filter = new SampleFilter(regex("--focus", focus), regex("--ignore", ignore));
            PprofProfile p = load(source);
            PprofProfile shown = p;
            if (diffBase != null) {
                try {
                    shown = DiffBase.of(p, load(diffBase));
                } catch (IllegalArgumentException e) {
                    throw new UserError(ExitCode.BAD_INPUT, diffBase + ": " + e.getMessage());
                }
            }
            PprofTop.Report r;
            try {
                r = PprofTop.of(shown, new PprofTop.Options(sampleIndex, nodeCount, cum, filter),
                        lines ? CallGraph.Granularity.LINES : CallGraph.Granularity.FUNCTIONS);
            } catch (ProfileFormatException e) {
                throw new UserError(ExitCode.BAD_INPUT, source + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCode.USAGE, e.getMessage());
            }
            PrintWriter err = spec.commandLine().getErr();
            r.notes().forEach(n -> err.println("nodedoctor: " + n));
            err.flush();
            // the findings are about the whole profile: a focus or a base changes the table, not the diagnosis
            List<Finding> findings = RuleCatalogue.evaluate(RuleCatalogue.all(Thresholds.defaults()),
                    Observations.ofProfiles(List.of(ProfileSummary.of(p, source)))).findings();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Json.pretty(new TopJson(r, findings)));
            } else {
                PprofTopText.print(r, out);
                int n = 1;
                for (Finding f : findings) {
                    out.println();
                    FindingsReport.print(n++, f, out);
                }
            }
            out.flush();
            return ExitCode.OK;
        }
    }

    private static java.util.regex.Pattern regex(String option, String text) {
        if (text == null) {
            return null;
        }
        try {
            return java.util.regex.Pattern.compile(text);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new UserError(ExitCode.USAGE, option + " '" + text + "' is not a regular expression: " + e.getDescription());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Per-line flat and cum of the functions matching REGEX (as `go tool pprof -list`, shown as "
                    + "file:line since no sources are needed).")
    static final class ListLines implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "REGEX", description = "Functions to list (a regular expression).")
        String regex;

        @Parameters(index = "1", paramLabel = "PROFILE", description = "profile.proto file, - or URL")
        String source;

        @Option(names = {"--sample-index", "--sample_index"}, paramLabel = "TYPE", description = "Sample type (default as pprof).")
        String sampleIndex;

        @Option(names = "--json", description = "Print the listing as JSON.")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PprofProfile p = load(source);
            dev.nodedoctor.profile.PprofList.Listing l;
            try {
                l = dev.nodedoctor.profile.PprofList.of(p, regex, sampleIndex);
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new UserError(ExitCode.USAGE, "'" + regex + "' is not a regular expression: " + e.getDescription());
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCode.USAGE, e.getMessage());
            } catch (ProfileFormatException e) {
                throw new UserError(ExitCode.BAD_INPUT, source + ": " + e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Json.pretty(l));
                out.flush();
                return ExitCode.OK;
            }
            if (l.routines().isEmpty()) {
                throw new UserError(ExitCode.USAGE, "no function matches '" + regex + "' in " + source);
            }
            out.println("Total: " + l.totalText());
            for (var r : l.routines()) {
                out.printf("ROUTINE ======================== %s in %s%n", r.function(), r.file().isEmpty() ? "?" : r.file());
                out.printf("%10s %10s (flat, cum) %s of Total%n", r.flatText(), r.cumText(), r.percentOfTotal());
                for (var line : r.lines()) {
                    String file = line.file();
                    int slash = file.lastIndexOf('/');
                    out.printf("%10s %10s   %s:%d%n", line.flat() == 0 ? "." : line.flatText(),
                            line.cum() == 0 ? "." : line.cumText(), slash >= 0 ? file.substring(slash + 1) : file, line.line());
                }
            }
            out.flush();
            return ExitCode.OK;
        }
    }
}
