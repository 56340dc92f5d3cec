package dev.nodedoctor.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.nodedoctor.testkit.Cli;
import dev.nodedoctor.testkit.Nginx;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live: real nginx as two proxy layers on loopback (edge → ingress → a small backend), JSON logs with the
 * trace id passed in a header, a delay injected on one hop. `latency --join trace_id` must put the tail on
 * that hop.
 */
class TwoLayerNginxTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int REQUESTS = 100;
    static final int SLOW_EVERY = 5; // every fifth request is slow: 20 %

    @TempDir
    Path tmp;

    @BeforeEach
    void needsNginx() {
        Nginx.assumeInstalled();
    }

    /** The backend: answers "ok", after sleeping ?sleep=MS. */
    static HttpServer backend() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        s.createContext("/", ex -> {
            String q = ex.getRequestURI().getQuery();
            if (q != null && q.startsWith("sleep=")) {
                try {
                    Thread.sleep(Long.parseLong(q.substring(6)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = "ok\n".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        s.setExecutor(Executors.newFixedThreadPool(32));
        s.start();
        return s;
    }

    /** Sends the requests, 10 at a time; the slow ones get trace ids "slow-N" and, if asked, ?sleep=. */
    static void load(int port, long backendSleepMs) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                boolean slow = i % SLOW_EVERY == 0;
                String id = (slow ? "slow-" : "fast-") + i;
                String q = slow && backendSleepMs > 0 ? "?sleep=" + backendSleepMs : "";
                HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/" + i + q))
                        .header("X-Trace-Id", id).timeout(Duration.ofSeconds(20)).build();
                done.add(pool.submit(() -> client.send(req, HttpResponse.BodyHandlers.discarding()).statusCode()));
            }
            for (Future<Integer> f : done) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static JsonNode latency(Path edgeLog, Path ingressLog) throws IOException {
        Cli.Run r = Cli.run("latency", "--layer", "edge=" + edgeLog, "--layer", "ingress=" + ingressLog,
                "--join", "trace_id", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    static JsonNode finding(JsonNode doc, String id) {
        for (JsonNode f : doc.get("findings")) {
            if (f.get("id").asText().equals(id)) {
                return f;
            }
        }
        return null;
    }

    @Test
    void aSlowBackendIsTheIngressToUpstreamHop() throws Exception {
        HttpServer backend = backend();
        try (Nginx ingress = Nginx.proxy(tmp.resolve("ingress"), Nginx.freePort(), "127.0.0.1:" + backend.getAddress().getPort());
             Nginx edge = Nginx.proxy(tmp.resolve("edge"), Nginx.freePort(), "127.0.0.1:" + ingress.port())) {
            load(edge.port(), 1500);
            edge.close();
            ingress.close();
            JsonNode doc = latency(edge.log(), ingress.log());
            JsonNode join = doc.get("analysis").get("join");
            assertThat(join.get("complete").asLong()).isEqualTo(REQUESTS);
            assertThat(join.get("hops").get(0).get("onlyOuter").asLong()).isZero();
            JsonNode hop = finding(doc, "latency.hop");
            assertThat(hop).as(doc.toString()).isNotNull();
            assertThat(hop.get("title").asText()).contains("of the tail is ingress → upstream");
            JsonNode up = finding(doc, "latency.upstream");
            assertThat(up).as("latency.upstream in %s", doc.get("findings")).isNotNull();
            assertThat(up.get("subject").asText()).isEqualTo("upstream of ingress");
            assertThat(finding(doc, "latency.connect-mode")).isNull();
            // the backend's 1.5 s shows at both layers' request_time p90, not in the gap
            JsonNode edgeRt = doc.get("analysis").get("layers").get(0).get("requestTime");
            assertThat(edgeRt.get("p90").asDouble()).isBetween(1.5, 2.0);
            assertThat(join.get("hops").get(0).get("gap").get("p99").asDouble()).isLessThan(0.1);
        } finally {
            backend.stop(0);
        }
    }

    @Test
    void aDelayBetweenTheProxiesIsTheEdgeToIngressHop() throws Exception {
        try (Nginx backend = Nginx.backend(tmp.resolve("backend"), Nginx.freePort());
             Nginx ingress = Nginx.proxy(tmp.resolve("ingress"), Nginx.freePort(), "127.0.0.1:" + backend.port());
             DelayingRelay relay = new DelayingRelay(ingress.port(), "X-Trace-Id: slow-", 600);
             Nginx edge = Nginx.proxy(tmp.resolve("edge"), Nginx.freePort(), "127.0.0.1:" + relay.port())) {
            load(edge.port(), 0);
            edge.close();
            ingress.close();
            JsonNode doc = latency(edge.log(), ingress.log());
            assertThat(doc.get("analysis").get("join").get("complete").asLong()).isEqualTo(REQUESTS);
            JsonNode hop = finding(doc, "latency.hop");
            assertThat(hop).as(doc.get("findings").toString()).isNotNull();
            assertThat(hop.get("title").asText()).startsWith("all of the tail is edge → ingress");
            assertThat(finding(doc, "latency.upstream")).isNull();
            JsonNode gap = doc.get("analysis").get("join").get("hops").get(0).get("gap");
            assertThat(gap.get("p90").asDouble()).isBetween(0.6, 0.8);
            // the edge's header time carries the delay (the relay accepted at once, so connect does not)
            JsonNode edgeLayer = doc.get("analysis").get("layers").get(0);
            assertThat(edgeLayer.get("header").get("p90").asDouble()).isBetween(0.6, 0.8);
            assertThat(edgeLayer.get("connect").get("p99").asDouble()).isLessThan(0.1);
        }
    }

    /** A TCP relay that holds a connection's first bytes for {@code delayMs} when they contain {@code marker}. */
    static final class DelayingRelay implements AutoCloseable {
        private final ServerSocket server;
        private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "relay");
            t.setDaemon(true);
            return t;
        });

        DelayingRelay(int target, String marker, long delayMs) throws IOException {
            server = new ServerSocket(0, 128, java.net.InetAddress.getLoopbackAddress());
            pool.submit(() -> {
                while (!server.isClosed()) {
                    Socket in;
                    try {
                        in = server.accept();
                    } catch (IOException e) {
                        return;
                    }
                    pool.submit(() -> relay(in, target, marker, delayMs));
                }
            });
        }

        private void relay(Socket in, int target, String marker, long delayMs) {
            try (in; Socket out = new Socket("127.0.0.1", target)) {
                byte[] buf = new byte[16384];
                int n = in.getInputStream().read(buf);
                if (n <= 0) {
                    return;
                }
                if (new String(buf, 0, n, StandardCharsets.ISO_8859_1).contains(marker)) {
                    Thread.sleep(delayMs);
                }
                out.getOutputStream().write(buf, 0, n);
                Future<?> back = pool.submit(() -> pump(out.getInputStream(), in.getOutputStream()));
                pump(in.getInputStream(), out.getOutputStream());
                back.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the connection ends; nginx logs what it saw
            }
        }

        private static Void pump(InputStream from, OutputStream to) throws IOException {
            byte[] buf = new byte[16384];
            int n;
            try {
                while ((n = from.read(buf)) > 0) {
                    to.write(buf, 0, n);
                }
            } finally {
                try {
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
            return null;
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            pool.shutdownNow();
        }
    }
}
