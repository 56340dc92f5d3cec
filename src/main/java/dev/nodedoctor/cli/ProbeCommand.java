package dev.nodedoctor.cli;

import dev.nodedoctor.diagnose.Finding;
import dev.nodedoctor.diagnose.HiccupRule;
import dev.nodedoctor.diagnose.SynRetransmitRule;
import dev.nodedoctor.diagnose.Thresholds;
import dev.nodedoctor.probe.HiccupMeter;
import dev.nodedoctor.probe.HiccupReport;
import dev.nodedoctor.probe.TcpProbe;
import dev.nodedoctor.probe.TcpProbeReport;
import dev.nodedoctor.report.Json;
import dev.nodedoctor.report.ProbeText;
import dev.nodedoctor.sys.KernelFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Active measurements on this node: scheduling hiccups, TCP connect latency.",
        subcommands = {ProbeCommand.Hiccup.class, ProbeCommand.Tcp.class})
public final class ProbeCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "hiccup", mixinStandardHelpOptions = true,
            description = "Scheduling-latency meter (like jHiccup/cyclictest): a thread sleeps --interval again and "
                    + "again and records how late it wakes; prints p50/p99/p99.9/max and the worst stalls.")
    static final class Hiccup implements Callable<Integer> {
        @Option(names = {"-d", "--duration"}, paramLabel = "DURATION", converter = DurationConverter.class,
                description = "How long to measure (default: ${DEFAULT-VALUE}).")
        Duration duration = Duration.ofSeconds(10);

        @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "How long the thread sleeps each time (default: ${DEFAULT-VALUE}; 1ms is finer and costs ~10× the CPU).")
        Duration interval = HiccupMeter.DEFAULT_INTERVAL;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @CommandLine.Mixin
        FailOn failOn = new FailOn();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            failOn.severity(); // a bad word is a usage error before the measurement, not after it
            if (duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofHours(24)) > 0) {
                throw new UserError(ExitCode.USAGE, "--duration must be between 1 ms and 24 h");
            }
            if (interval.toNanos() < 10_000 || interval.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new UserError(ExitCode.USAGE, "--interval must be between 10 µs and 1 s");
            }
            HiccupReport r = HiccupMeter.measure(duration, interval);
            List<Finding> findings = new HiccupRule(Thresholds.defaults()).judge(r).map(List::of).orElse(List.of());
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("hiccup", r);
                doc.put("findings", findings);
                out.println(Json.pretty(doc));
                out.flush();
            } else {
                ProbeText.hiccup(r, findings, out);
            }
            return failOn.exitCode(findings);
        }
    }

    @Command(name = "tcp", mixinStandardHelpOptions = true,
            description = "Connects to HOST:PORT again and again (one at a time), prints connect-time percentiles "
                    + "and the share of connects that waited for SYN retransmits (the ~1 s, ~2 s, ~3 s modes).")
    static final class Tcp implements Callable<Integer> {
        @Parameters(paramLabel = "HOST:PORT", description = "Where to connect; IPv6 as [ADDR]:PORT.")
        String target;

        @Option(names = {"-c", "--count"}, paramLabel = "N", description = "Connects to make (default: ${DEFAULT-VALUE}).")
        int count = 20;

        @Option(names = {"-i", "--interval"}, paramLabel = "DURATION", converter = DurationConverter.class,
                description = "From one connect's start to the next (default: ${DEFAULT-VALUE}).")
        Duration interval = Duration.ofMillis(200);

        @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "Give up on one connect after this long (default: ${DEFAULT-VALUE}).")
        Duration timeout = Duration.ofSeconds(10);

        @Option(names = "--json", description = "Print JSON (with every connect).")
        boolean json;

        @CommandLine.Mixin
        FailOn failOn = new FailOn();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            failOn.severity();
            TcpProbe.Options options = new TcpProbe.Options(count, interval, timeout);
            InetSocketAddress address;
            try {
                address = TcpProbe.resolve(TcpProbe.parseTarget(target));
            } catch (UnknownHostException e) {
                throw new UserError(ExitCode.BAD_INPUT, "cannot resolve '" + TcpProbe.parseTarget(target).getHostString()
                        + "': unknown host (DNS lookup failed)");
            }
            TcpProbeReport r;
            try (KernelFiles files = KernelFiles.live()) {
                r = TcpProbe.run(target, address, options, files, null);
            }
            List<Finding> findings = new SynRetransmitRule(Thresholds.defaults()).fromProbe(r).map(List::of)
                    .orElse(List.of());
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("tcp", r);
                doc.put("findings", findings);
                out.println(Json.pretty(doc));
                out.flush();
            } else {
                ProbeText.tcp(r, findings, out);
            }
            if (r.connected() == 0) {
                throw new UserError(ExitCode.BAD_INPUT, "no connect to " + target + " succeeded: " + r.refused()
                        + " refused, " + r.timedOut() + " timed out, " + (r.failed()) + " failed"
                        + (r.errors().isEmpty() ? "" : " (" + r.errors().get(0).error() + ")"));
            }
            return failOn.exitCode(findings);
        }
    }
}
