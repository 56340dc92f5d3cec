package dev.nodedoctor.probe;

import dev.nodedoctor.host.NetSnmp;
import dev.nodedoctor.sys.KernelFileException;
import dev.nodedoctor.sys.KernelFiles;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Connects to one TCP endpoint again and again, timing each connect (the three-way handshake, as
 * {@link Socket#connect} waits for it) and closing it at once. One connect at a time, so the probe itself
 * never fills a listener's queue.
 */
public final class TcpProbe {
    public static final String LINEAR_TIMEOUTS = "/proc/sys/net/ipv4/tcp_syn_linear_timeouts";

    /** @param interval time from one connect's start to the next one's (a slower connect delays the next) */
    public record Options(int count, Duration interval, Duration timeout) {
        public Options {
            if (count < 1 || count > 100_000) {
                throw new IllegalArgumentException("--count must be between 1 and 100000, not " + count);
            }
            if (interval.isNegative()) {
                throw new IllegalArgumentException("--interval must not be negative");
            }
            if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("--timeout must be between 1 ms and 10 min");
            }
        }
    }

    private TcpProbe() {
    }

    /**
     * "host:port", "[v6]:port" → an unresolved pair; a bad form is an IllegalArgumentException.
     */
    public static InetSocketAddress parseTarget(String target) {
        int colon = target.lastIndexOf(':');
        if (colon <= 0 || colon == target.length() - 1) {
            throw new IllegalArgumentException("target must be HOST:PORT, not '" + target + "'");
        }
        String host = target.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("write an IPv6 address in brackets: [" + host + "]:PORT");
        }
        int port;
        try {
            port = Integer.parseInt(target.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port must be a number in '" + target + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, not " + port);
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** Resolves once; an unknown name is an UnknownHostException for the caller to report. */
    public static InetSocketAddress resolve(InetSocketAddress target) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(target.getHostString()), target.getPort());
    }

    /**
     * Runs the probe. {@code files} is the live tree of the prober's network namespace, for the counters and
     * the SYN timeout setting; {@code progress} sees every connect as it ends.
     */
    public static TcpProbeReport run(String target, InetSocketAddress address, Options options, KernelFiles files,
                                     Consumer<TcpProbeReport.Attempt> progress) throws InterruptedException {
        int linear = linearTimeouts(files);
        NetSnmp before = counters(files);
        long startNanos = System.nanoTime();
        List<TcpProbeReport.Attempt> raw = new ArrayList<>(options.count());
        long next = System.nanoTime();
        for (int i = 1; i <= options.count(); i++) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            next = System.nanoTime() + options.interval().toNanos();
            TcpProbeReport.Attempt a = connectOnce(i, address, options.timeout());
            raw.add(a);
            if (progress != null) {
                progress.accept(a);
            }
        }
        NetSnmp after = counters(files);
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        TcpCounters counters = before == null || after == null ? null : TcpCounters.between(before, after, seconds);
        return summarise(target, address.getAddress().getHostAddress() + ":" + address.getPort(), new SynModes(linear),
                raw, counters);
    }

    static TcpProbeReport.Attempt connectOnce(int seq, InetSocketAddress address, Duration timeout) {
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(address, (int) Math.max(1, timeout.toMillis()));
            return new TcpProbeReport.Attempt(seq, TcpProbeReport.Outcome.CONNECTED, millisSince(t0), 0, null);
        } catch (SocketTimeoutException e) {
            return new TcpProbeReport.Attempt(seq, TcpProbeReport.Outcome.TIMEOUT, millisSince(t0), 0,
                    "no answer within " + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            // the JDK's text is the errno's: "Connection refused", "Network is unreachable", ...
            String text = e.getMessage() == null ? "connect failed" : e.getMessage();
            TcpProbeReport.Outcome o = text.contains("refused") ? TcpProbeReport.Outcome.REFUSED
                    : text.contains("unreachable") ? TcpProbeReport.Outcome.UNREACHABLE : TcpProbeReport.Outcome.FAILED;
            return new TcpProbeReport.Attempt(seq, o, millisSince(t0), 0, text);
        } catch (NoRouteToHostException e) {
            return new TcpProbeReport.Attempt(seq, TcpProbeReport.Outcome.UNREACHABLE, millisSince(t0), 0,
                    e.getMessage() == null ? "No route to host" : e.getMessage());
        } catch (IOException e) {
            return new TcpProbeReport.Attempt(seq, TcpProbeReport.Outcome.FAILED, millisSince(t0), 0, String.valueOf(e.getMessage()));
        }
    }

    /** Puts each answered connect in its SYN mode and builds the report. Pure: tested on measured times. */
    public static TcpProbeReport summarise(String target, String address, SynModes modes,
                                           List<TcpProbeReport.Attempt> raw, TcpCounters counters) {
        // the round trip of a connect without retries: the median of those well under the first retry
        double[] quick = raw.stream().filter(TcpProbe::answered).mapToDouble(TcpProbeReport.Attempt::millis)
                .filter(ms -> ms < 500).sorted().toArray();
        double baseSeconds = quick.length == 0 ? 0 : quick[quick.length / 2] / 1000;
        List<TcpProbeReport.Attempt> attempts = new ArrayList<>(raw.size());
        Histogram connected = new Histogram(3);
        Map<Integer, List<Double>> byMode = new java.util.TreeMap<>((a, b) -> a < 0 ? (b < 0 ? 0 : 1) : b < 0 ? -1 : a - b);
        Map<String, Integer> errors = new LinkedHashMap<>();
        int ok = 0;
        int refused = 0;
        int timedOut = 0;
        int failed = 0;
        long retries = 0;
        for (TcpProbeReport.Attempt a : raw) {
            int k = 0;
            if (answered(a)) {
                k = modes.classify(a.millis() / 1000, baseSeconds);
                byMode.computeIfAbsent(k, x -> new ArrayList<>()).add(a.millis());
                retries += Math.max(0, k);
            }
            switch (a.outcome()) {
                case CONNECTED -> {
                    ok++;
                    connected.recordValue(Math.max(1, Math.round(a.millis() * 1000))); // µs
                }
                case REFUSED -> refused++;
                case TIMEOUT -> {
                    timedOut++;
                    retries++;
                }
                default -> failed++;
            }
            if (a.error() != null) {
                errors.merge(a.error(), 1, Integer::sum);
            }
            attempts.add(new TcpProbeReport.Attempt(a.seq(), a.outcome(), a.millis(), answered(a) ? k : 0, a.error()));
        }
        int answered = ok + refused;
        List<TcpProbeReport.Mode> modeList = new ArrayList<>();
        int withRetries = timedOut;
        for (Map.Entry<Integer, List<Double>> e : byMode.entrySet()) {
            double[] ms = e.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
            modeList.add(new TcpProbeReport.Mode(modes.label(e.getKey()), e.getKey(), ms.length,
                    answered == 0 ? 0 : (double) ms.length / answered, ms[ms.length / 2]));
            if (e.getKey() > 0) {
                withRetries += ms.length;
            }
        }
        int judged = answered + timedOut;
        TcpProbeReport.Latency latency = ok == 0 ? null : new TcpProbeReport.Latency(
                connected.getMinValue() / 1000.0, connected.getValueAtPercentile(50) / 1000.0,
                connected.getValueAtPercentile(90) / 1000.0, connected.getValueAtPercentile(99) / 1000.0,
                connected.getMaxValue() / 1000.0);
        List<TcpProbeReport.ErrorCount> errorList = new ArrayList<>();
        errors.forEach((text, n) -> errorList.add(new TcpProbeReport.ErrorCount(text, n)));
        return new TcpProbeReport(target, address, modes.linearTimeouts(), raw.size(), ok, refused, timedOut, failed,
                latency, modeList, judged == 0 ? 0 : (double) withRetries / judged, retries, counters, errorList,
                attempts);
    }

    private static boolean answered(TcpProbeReport.Attempt a) {
        return a.outcome() == TcpProbeReport.Outcome.CONNECTED || a.outcome() == TcpProbeReport.Outcome.REFUSED;
    }

    private static double millisSince(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    /** The SYN back-off setting of this kernel; absent (kernels before 6.6 or so) means exponential. */
    static int linearTimeouts(KernelFiles files) {
        try {
            return Integer.parseInt(files.readText(LINEAR_TIMEOUTS).strip());
        } catch (KernelFileException | NumberFormatException e) {
            return 0;
        }
    }

    private static NetSnmp counters(KernelFiles files) {
        try {
            return TcpCounters.read(files);
        } catch (KernelFileException e) {
            return null;
        }
    }

}
