package dev.nodedoctor.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A throw-away nginx (the Debian package's binary) with its own prefix and config in a temp directory,
 * listening on a loopback port, running in the foreground as our child so it always stops with the test.
 * Logs one JSON line per request in the format a Kubernetes ingress typically uses (nginx escape=json, all
 * values strings, the trace id from the X-Trace-Id header).
 */
public final class Nginx implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/nginx");
    public static final String JSON_FORMAT = "log_format trace escape=json '{\"time_iso8601\":\"$time_iso8601\","
            + "\"msec\":\"$msec\",\"remote_addr\":\"$remote_addr\",\"request\":\"$request\",\"status\":\"$status\","
            + "\"request_time\":\"$request_time\",\"upstream_addr\":\"$upstream_addr\","
            + "\"upstream_connect_time\":\"$upstream_connect_time\",\"upstream_header_time\":\"$upstream_header_time\","
            + "\"upstream_response_time\":\"$upstream_response_time\",\"trace_id\":\"$http_x_trace_id\"}';";

    private final Process process;
    private final int port;
    private final Path log;

    private Nginx(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static void assumeInstalled() {
        assumeTrue(Files.isExecutable(BINARY), "needs nginx (apt-get install nginx; .ci/run installs it)");
    }

    /** Starts a proxy on 127.0.0.1:{port} to {@code upstream} (host:port), logging to {@code dir}/access.log. */
    public static Nginx proxy(Path dir, int port, String upstream) throws IOException, InterruptedException {
        return proxy(dir, "127.0.0.1:" + port, port, upstream);
    }

    /** A backend that answers 200 "ok" itself (steadier than one in the test's own busy JVM). */
    public static Nginx backend(Path dir, int port) throws IOException, InterruptedException {
        return server(dir, "127.0.0.1:" + port, port, "return 200 \"ok\\n\";");
    }

    /** Same, on a given listen address (e.g. inside a network namespace). */
    public static Nginx proxy(Path dir, String listen, int port, String upstream) throws IOException, InterruptedException {
        return server(dir, listen, port, "proxy_pass http://" + upstream + "; proxy_connect_timeout 10s; proxy_read_timeout 20s;");
    }

    private static Nginx server(Path dir, String listen, int port, String location) throws IOException, InterruptedException {
        assumeInstalled();
        Files.createDirectories(dir);
        Path log = dir.resolve("access.log");
        String conf = "daemon off;\npid " + dir.resolve("nginx.pid") + ";\nerror_log " + dir.resolve("error.log")
                + " warn;\nworker_processes 1;\nevents { worker_connections 512; }\nhttp {\n"
                + "  client_body_temp_path " + dir.resolve("body") + "; proxy_temp_path " + dir.resolve("proxy") + ";\n"
                + "  fastcgi_temp_path " + dir.resolve("fcgi") + "; uwsgi_temp_path " + dir.resolve("uwsgi") + ";\n"
                + "  scgi_temp_path " + dir.resolve("scgi") + ";\n  " + JSON_FORMAT + "\n"
                + "  access_log " + log + " trace;\n"
                + "  server {\n    listen " + listen + ";\n"
                + "    location / { " + location + " }\n"
                + "  }\n}\n";
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf);
        return start(dir, file, port, log, null);
    }

    public static Nginx start(Path dir, Path conf, int port, Path log, String netns) throws IOException, InterruptedException {
        ProcessBuilder pb = netns == null
                ? new ProcessBuilder(BINARY.toString(), "-p", dir.toString(), "-c", conf.toString())
                : new ProcessBuilder("ip", "netns", "exec", netns, BINARY.toString(), "-p", dir.toString(), "-c", conf.toString());
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("stdout.txt").toFile());
        Process p = pb.start();
        Nginx n = new Nginx(p, port, log);
        if (netns == null) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    break;
                } catch (IOException e) {
                    if (!p.isAlive() || System.nanoTime() > deadline) {
                        n.close();
                        throw new IllegalStateException("nginx did not start: " + Files.readString(dir.resolve("stdout.txt"))
                                + (Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : ""));
                    }
                    Thread.sleep(50);
                }
            }
        }
        return n;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    /** SIGTERM (nginx's fast shutdown, which flushes the logs), then SIGKILL if it lingers. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
