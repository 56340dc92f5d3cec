package dev.nodedoctor.cli;

import dev.nodedoctor.accesslog.Buckets;
import dev.nodedoctor.accesslog.FileChunks;
import dev.nodedoctor.accesslog.Filters;
import dev.nodedoctor.accesslog.LatencyAnalysis;
import dev.nodedoctor.accesslog.LatencyAnalyzer;
import dev.nodedoctor.accesslog.LatencyRun;
import dev.nodedoctor.accesslog.LogFormatChoice;
import dev.nodedoctor.accesslog.LogSource;
import dev.nodedoctor.diagnose.Diagnosis;
import dev.nodedoctor.diagnose.Observations;
import dev.nodedoctor.diagnose.RuleCatalogue;
import dev.nodedoctor.diagnose.Severity;
import dev.nodedoctor.diagnose.Thresholds;
import dev.nodedoctor.report.Json;
import dev.nodedoctor.report.LatencyHtml;
import dev.nodedoctor.report.LatencyReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

@Command(name = "latency", mixinStandardHelpOptions = true,
        description = {"Which hop adds the latency: percentiles and histograms of nginx / ingress-nginx access-log "
                + "timings per proxy layer, joined across layers by a request id, with findings (SYN-retransmit "
                + "modes, the hop that adds the tail, a slow upstream).",
            "Each LOG is one layer, outermost first (or name them: --layer nginx=a.log --layer ingress=b.log); "
                + "'-' is stdin; gzip is detected. Formats: JSON lines (nginx escape=json), Elasticsearch hits or "
                + "_search responses, combined + timings, ingress-nginx's default, or --format custom:'...'."})
public final class LatencyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "LOG", arity = "0..*", description = "Access logs, one layer each, outermost first.")
    List<String> logs = new ArrayList<>();

    @Option(names = "--layer", paramLabel = "NAME=FILE",
            description = "A named layer; repeat the NAME to give one layer several files.")
    List<String> layerSpecs = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "auto (default), json, elk, combined, ingress, or custom:'<nginx log_format>'.")
    String format = "auto";

    @Option(names = "--join", paramLabel = "FIELD", description = "Join layers on this field, e.g. trace_id.")
    String join;

    @Option(names = "--join-window", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "A request not seen in every layer within this time (by the logs' clocks) is unmatched "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration joinWindow = Duration.ofMinutes(5);

    @Option(names = "--path", paramLabel = "REGEX", description = "Only requests whose path matches.")
    String path;

    @Option(names = "--status", paramLabel = "CODES", description = "Only these statuses: 502, 5xx, 502-504, 499,5xx.")
    String status;

    @Option(names = "--since", paramLabel = "TIME", description = "Only requests at or after TIME (ISO-8601; UTC if no offset).")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Only requests before TIME.")
    String until;

    @Option(names = "--min-time", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Only requests with request_time ≥ this (with --join: of the outermost layer).")
    Duration minTime;

    @Option(names = "--upstream", paramLabel = "ADDR", description = "Only requests whose $upstream_addr contains ADDR.")
    String upstream;

    @Option(names = "--buckets", paramLabel = "WIDTH[:RANGE]",
            description = "Histogram buckets in seconds (default 0.1:3.5).")
    String buckets;

    @Option(names = "--threads", paramLabel = "N",
            description = "Reader threads without --join (default: the number of CPUs); large plain files are split "
                    + "into byte ranges. With --join the layers are read in time order on one thread.")
    Integer threads;

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML page with charts.")
    Path html;

    @CommandLine.Mixin
    FailOn failOn = new FailOn();

    @Option(names = "--config", paramLabel = "FILE", description = "Threshold overrides, one 'key=value' per line.")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** For tests: what stands in for stdin. */
    InputStream stdin = System.in;

    @Override
    public Integer call() throws Exception {
        Severity failSeverity = failOn.severity();
        LogFormatChoice choice = usage(() -> LogFormatChoice.parse(format));
        Buckets b = buckets == null ? Buckets.DEFAULT : usage(() -> Buckets.parse(buckets));
        Filters filters = usage(() -> new Filters(compile(path), status, time("--since", since, Long.MIN_VALUE),
                time("--until", until, Long.MAX_VALUE), minTime == null ? -1 : minTime.toNanos() / 1000, upstream));
        Map<String, List<String>> layers = layers();
        Thresholds thresholds = DiagnoseCommand.loadThresholds(config);
        boolean joining = join != null && layers.size() > 1;
        int nThreads = joining ? 1 : threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (nThreads < 1 || nThreads > 256) {
            throw new UserError(ExitCode.USAGE, "--threads must be between 1 and 256");
        }

        List<LatencyRun.Layer> opened = new ArrayList<>();
        try {
            for (Map.Entry<String, List<String>> l : layers.entrySet()) {
                List<LogSource> sources = new ArrayList<>();
                opened.add(new LatencyRun.Layer(l.getKey(), sources));
                for (String file : l.getValue()) {
                    openChunks(file, choice, nThreads, sources);
                }
            }
            List<String> names = List.copyOf(layers.keySet());
            LatencyAnalysis analysis = nThreads > 1
                    ? LatencyRun.runParallel(opened, () -> new LatencyAnalyzer(names, join, filters, joinWindow.toMillis()),
                            nThreads, b)
                    : LatencyRun.run(opened, new LatencyAnalyzer(names, join, filters, joinWindow.toMillis()), b);
            Diagnosis diagnosis = RuleCatalogue.evaluate(RuleCatalogue.latency(thresholds), Observations.ofLatency(analysis));
            PrintWriter out = spec.commandLine().getOut();
            if (html != null) {
                writeHtml(analysis, diagnosis);
            }
            if (json) {
                out.println(Json.pretty(LatencyReport.doc(analysis, diagnosis)));
                out.flush();
            } else {
                LatencyReport.print(analysis, diagnosis, out);
            }
            for (LatencyRun.Layer l : opened) {
                for (LogSource s : l.sources()) {
                    LogSource.Stats st = s.stats();
                    if (st.brokenOff() != null) {
                        spec.commandLine().getErr().println("nodedoctor: warning: " + st.name() + ": " + st.brokenOff());
                    }
                }
            }
            spec.commandLine().getErr().flush();
            return FailOn.exitCode(failSeverity, diagnosis.worst());
        } finally {
            for (LatencyRun.Layer l : opened) {
                for (LogSource s : l.sources()) {
                    s.close();
                }
            }
        }
    }

    private void writeHtml(LatencyAnalysis analysis, Diagnosis diagnosis) throws IOException {
        Path tmp = html.toAbsolutePath().resolveSibling(html.getFileName() + ".tmp");
        Files.writeString(tmp, LatencyHtml.render(analysis, diagnosis), StandardCharsets.UTF_8);
        Files.move(tmp, html, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static long splitBytes = 64L << 20; // smaller files are not worth a thread each (tests lower it)

    /** One source, or for a large plain file and several threads, one source per byte range. */
    private void openChunks(String file, LogFormatChoice choice, int nThreads, List<LogSource> out) throws IOException {
        Path p = file.equals("-") ? null : Path.of(file);
        long size = p != null && Files.isRegularFile(p) ? Files.size(p) : 0;
        if (nThreads < 2 || size < splitBytes || StackInput.gzipped(p)) {
            out.add(open(file, choice, null));
            return;
        }
        List<FileChunks.Range> ranges = FileChunks.split(size, nThreads);
        LogSource first = open(file, choice, ranges.get(0));
        out.add(first);
        if (!first.splittable()) {
            first.close();
            out.set(out.size() - 1, open(file, choice, null));
            return;
        }
        for (FileChunks.Range r : ranges.subList(1, ranges.size())) {
            out.add(open(file, first.choice(), r));
        }
    }

    private LogSource open(String file, LogFormatChoice choice, FileChunks.Range range) throws IOException {
        InputStream in;
        if (file.equals("-")) {
            in = stdin;
        } else {
            Path p = Path.of(file);
            if (Files.isDirectory(p)) {
                throw new UserError(ExitCode.BAD_INPUT, file + ": is a directory, expected a log file");
            }
            try {
                if (range == null) {
                    in = Files.newInputStream(p);
                } else {
                    java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(p);
                    ch.position(Math.max(0, range.start() - 1));
                    in = FileChunks.lines(java.nio.channels.Channels.newInputStream(ch), range.start(), range.end());
                }
            } catch (NoSuchFileException e) {
                throw new UserError(ExitCode.BAD_INPUT, file + ": no such file");
            } catch (AccessDeniedException e) {
                throw new UserError(ExitCode.PERMISSION, file + ": permission denied");
            }
        }
        try {
            return LogSource.open(file.equals("-") ? "stdin" : file, in, choice, join);
        } catch (LogSource.UnknownFormatException e) {
            in.close();
            throw new UserError(ExitCode.BAD_INPUT, e.getMessage());
        } catch (IOException e) {
            in.close();
            throw new UserError(ExitCode.BAD_INPUT, file + ": " + e.getMessage());
        }
    }

    /** Layer name → files, outermost first. */
    private Map<String, List<String>> layers() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String log : logs) {
            String name = log.equals("-") ? "stdin" : Path.of(log).getFileName().toString()
                    .replaceFirst("\\.gz$", "").replaceFirst("\\.(log|json|jsonl|ndjson|txt)$", "");
            String unique = name;
            for (int i = 2; out.containsKey(unique); i++) {
                unique = name + "#" + i;
            }
            out.put(unique, new ArrayList<>(List.of(log)));
        }
        for (String spec : layerSpecs) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new UserError(ExitCode.USAGE, "--layer '" + spec + "': expected NAME=FILE");
            }
            out.computeIfAbsent(spec.substring(0, eq), k -> new ArrayList<>()).add(spec.substring(eq + 1));
        }
        if (out.isEmpty()) {
            throw new UserError(ExitCode.USAGE, "no logs given: nodedoctor latency LOG... (or --layer NAME=FILE, '-' for stdin)");
        }
        if (out.size() > 16) {
            throw new UserError(ExitCode.USAGE, "at most 16 layers, got " + out.size());
        }
        long stdins = out.values().stream().flatMap(List::stream).filter("-"::equals).count();
        if (stdins > 1) {
            throw new UserError(ExitCode.USAGE, "stdin ('-') can be read only once");
        }
        return out;
    }

    private static Pattern compile(String regex) {
        if (regex == null) {
            return null;
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("--path '" + regex + "' is not a regular expression: " + e.getDescription());
        }
    }

    static long time(String option, String text, long absent) {
        if (text == null) {
            return absent;
        }
        String t = text.trim();
        try {
            return OffsetDateTime.parse(t).toInstant().toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return Instant.parse(t).toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return Math.round(Double.parseDouble(t) * 1000);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + text + "': expected an ISO-8601 time such as "
                    + "2026-11-26T03:00:00Z (UTC when no offset is given) or epoch seconds");
        }
    }

    private static <T> T usage(java.util.function.Supplier<T> s) {
        try {
            return s.get();
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.USAGE, e.getMessage());
        }
    }
}
