package dev.nodedoctor.cli;

import dev.nodedoctor.profile.FlameLayout;
import dev.nodedoctor.profile.FlameStacks;
import dev.nodedoctor.profile.FlameSvg;
import dev.nodedoctor.profile.ParallelCollapse;
import dev.nodedoctor.profile.PerfCollapse;
import dev.nodedoctor.profile.PprofProfile;
import dev.nodedoctor.profile.PprofReader;
import dev.nodedoctor.profile.ProfileFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** `nodedoctor flame`: an interactive flame graph (SVG or HTML) from pprof profiles, perf script or folded stacks. */
@Command(name = "flame", mixinStandardHelpOptions = true,
        description = {"Draws an interactive flame graph (hover for details, click to zoom, Search / Ctrl-F) as one "
                + "self-contained SVG or HTML file, from Go pprof profiles, `perf script` output or folded stacks "
                + "(auto-detected; plain or gzipped; - for stdin). Several inputs are added together.",
            "Differential: --diff BEFORE AFTER (red grew, blue shrank; widths are AFTER)."})
public final class FlameCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Inputs (default: stdin).")
    List<String> sources = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "out.svg or out.html (with --folded: a text file; default stdout).")
    Path output;

    @Option(names = "--folded", description = "Write folded stacks (`a;b;c 42`) instead of a graph.")
    boolean folded;

    @Option(names = "--diff", description = "Differential graph of two inputs: BEFORE AFTER.")
    boolean diff;

    @Option(names = "--title", description = "Title (default: Flame Graph, or Icicle Graph with --inverted).")
    String title;

    @Option(names = "--subtitle", description = "Second title line.")
    String subtitle = "";

    @Option(names = "--colors", paramLabel = "PALETTE", description = "hot (default), mem, io, wakeup, chain, java, js, "
            + "perl, red, green, blue, aqua, yellow, purple, orange.")
    String colors = "hot";

    @Option(names = "--hash", description = "Colour by a hash of the function name (flamegraph.pl --hash).")
    boolean hash;

    @Option(names = "--inverted", description = "Icicle graph: roots at the top.")
    boolean inverted;

    @Option(names = "--reverse", description = "Reverse each stack (leaf becomes root) before merging.")
    boolean reverse;

    @Option(names = "--negate", description = "Swap the differential colours.")
    boolean negate;

    @Option(names = "--minwidth", paramLabel = "PX|PCT%", description = "Omit frames narrower than this (default 0.1 pixels; 0.5%% for a share).")
    String minWidth = "0.1";

    @Option(names = "--countname", description = "What the counts are (default samples).")
    String countName = "samples";

    @Option(names = "--width", description = "Image width in pixels (default 1200).")
    int width = 1200;

    @Option(names = "--height", description = "Frame height in pixels (default 16).")
    int frameHeight = 16;

    @Option(names = {"--sample-index", "--sample_index"}, paramLabel = "TYPE", description = "pprof sample type (default as pprof).")
    String sampleIndex;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        List<String> in = sources.isEmpty() ? List.of("-") : sources;
        if (diff && in.size() != 2) {
            throw new UserError(ExitCode.USAGE, "--diff takes exactly two inputs: BEFORE AFTER");
        }
        if (width < 10 || width > 1_000_000 || frameHeight < 1 || frameHeight > 1000) {
            throw new UserError(ExitCode.USAGE, "--width must be 10..1000000 and --height 1..1000");
        }
        FlameStacks stacks;
        try {
            if (diff) {
                stacks = FlameStacks.diff(read(in.get(0), err), read(in.get(1), err));
            } else {
                stacks = null;
                for (String s : in) {
                    FlameStacks one = read(s, err);
                    if (stacks == null) {
                        stacks = one;
                    } else {
                        for (Map.Entry<String, double[]> e : one.asMap().entrySet()) {
                            stacks.add(e.getKey(), e.getValue()[1]);
                        }
                    }
                }
            }
        } catch (ProfileFormatException e) {
            throw new UserError(ExitCode.BAD_INPUT, e.getMessage());
        }
        if (stacks.size() == 0) {
            throw new UserError(ExitCode.BAD_INPUT, String.join(", ", in) + ": no stacks found (empty input, or not a "
                    + "profile, perf script output or folded stacks)");
        }
        if (folded) {
            writeFolded(stacks);
            return ExitCode.OK;
        }
        if (output == null) {
            throw new UserError(ExitCode.USAGE, "give -o out.svg or -o out.html (or --folded for text)");
        }
        FlameLayout layout = FlameLayout.of(stacks);
        if (layout.total() <= 0) {
            throw new UserError(ExitCode.BAD_INPUT, String.join(", ", in) + ": the stacks' counts add up to zero; nothing to draw");
        }
        FlameSvg.Options o = new FlameSvg.Options(title, subtitle, width, frameHeight, 12, 0.59, minWidth, countName,
                "Function:", colors, hash, inverted, negate);
        String doc;
        try {
            doc = output.toString().endsWith(".html") || output.toString().endsWith(".htm")
                    ? FlameSvg.html(layout, o) : FlameSvg.svg(layout, o);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.USAGE, e.getMessage());
        }
        try (OutputStream out = StackInput.output(output)) {
            out.write(doc.getBytes(StandardCharsets.UTF_8));
        }
        return ExitCode.OK;
    }

    private void writeFolded(FlameStacks stacks) throws IOException {
        List<Map.Entry<String, double[]>> entries = new ArrayList<>(stacks.asMap().entrySet());
        entries.sort(Map.Entry.comparingByKey());
        try (OutputStream out = StackInput.output(output)) {
            StringBuilder b = new StringBuilder(1 << 16);
            for (Map.Entry<String, double[]> e : entries) {
                b.append(e.getKey()).append(' ');
                if (stacks.differential()) {
                    b.append(count(e.getValue()[0])).append(' ');
                }
                b.append(count(e.getValue()[1])).append('\n');
                if (b.length() > 1 << 16) {
                    out.write(b.toString().getBytes(StandardCharsets.UTF_8));
                    b.setLength(0);
                }
            }
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String count(double v) {
        return v == Math.rint(v) && Math.abs(v) < 9e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** One input, its kind told by its first bytes: a pprof profile, perf script output, or folded stacks. */
    private FlameStacks read(String source, PrintWriter err) throws IOException, ProfileFormatException {
        try (InputStream raw = StackInput.open(source)) {
            BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
            in.mark(1 << 16);
            byte[] head = in.readNBytes(1 << 15);
            in.reset();
            java.util.function.Consumer<String> warn = w -> {
                err.println("nodedoctor: " + source + ": " + w);
                err.flush();
            };
            if (looksBinary(head)) {
                byte[] all = in.readNBytes((int) ProfileInput.MAX_BYTES + 1);
                if (all.length > ProfileInput.MAX_BYTES) {
                    throw new UserError(ExitCode.BAD_INPUT, source + ": binary input larger than 1 GiB");
                }
                PprofProfile p = PprofReader.parse(all, source);
                try {
                    return FlameStacks.of(p, p.sampleIndex(sampleIndex));
                } catch (IllegalArgumentException e) {
                    throw new UserError(ExitCode.USAGE, source + ": " + e.getMessage());
                }
            }
            if (looksFolded(head)) {
                return FlameStacks.readFolded(in, source, reverse, warn);
            }
            Path plain = StackInput.plainFile(source);
            FlameStacks s = FlameStacks.of(plain != null
                    ? ParallelCollapse.collapse(plain, source, PerfCollapse.Options.defaults(), CollapseCommand.defaultThreads(), warn)
                    : PerfCollapse.collapse(in, source, PerfCollapse.Options.defaults(), warn));
            if (reverse) {
                FlameStacks r = new FlameStacks();
                s.asMap().forEach((k, v) -> r.add(String.join(";", reversed(k)), v[1]));
                return r;
            }
            return s;
        }
    }

    private static List<String> reversed(String stack) {
        List<String> parts = new ArrayList<>(List.of(stack.split(";", -1)));
        java.util.Collections.reverse(parts);
        return parts;
    }

    /** Protobuf (pprof) starts with a field tag and holds NULs or control bytes; text does not. */
    static boolean looksBinary(byte[] head) {
        int n = Math.min(head.length, 512);
        for (int i = 0; i < n; i++) {
            int c = head[i] & 0xff;
            if (c == 0 || (c < 0x09) || (c > 0x0d && c < 0x20 && c != 0x1b)) {
                return true;
            }
        }
        return false;
    }

    /** Folded when the first line that is not a comment ends in a blank and a number, and is not indented. */
    static boolean looksFolded(byte[] head) {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            return !Character.isWhitespace(line.charAt(0)) && line.matches("(?s)^.*\\s\\d+(\\.\\d*)?$");
        }
        return false;
    }
}
