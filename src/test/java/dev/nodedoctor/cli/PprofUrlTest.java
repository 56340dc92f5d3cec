package dev.nodedoctor.cli;

import com.sun.net.httpserver.HttpServer;
import dev.nodedoctor.testkit.Cli;
import dev.nodedoctor.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/** `pprof top URL` fetches /debug/pprof/profile?seconds=N as go tool pprof does (a local server plays the Go program). */
class PprofUrlTest {
    @Test
    void topOfAFetchedProfileAndHttpErrors() throws Exception {
        byte[] profile = Files.readAllBytes(Fixtures.shared().resolve("conformance/pprof/sample.cpu"));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String[] query = new String[1];
        server.createContext("/debug/pprof/profile", ex -> {
            query[0] = ex.getRequestURI().getQuery();
            ex.sendResponseHeaders(200, profile.length);
            ex.getResponseBody().write(profile);
            ex.close();
        });
        server.createContext("/debug/pprof/heap", ex -> {
            byte[] body = "profiling disabled\n".getBytes();
            ex.sendResponseHeaders(404, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            Cli.Run r = Cli.run("pprof", "top", base + "/debug/pprof/profile?seconds=1");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(query[0]).isEqualTo("seconds=1");
            assertThat(r.out()).contains("Type: cpu").contains("runtime.mapiternext");
            Cli.Run missing = Cli.run("pprof", "top", base + "/debug/pprof/heap");
            assertThat(missing.exit()).isEqualTo(3);
            assertThat(missing.err()).contains("HTTP 404").contains("profiling disabled");
        } finally {
            server.stop(0);
        }
        Cli.Run refused = Cli.run("pprof", "top", "http://127.0.0.1:1/debug/pprof/heap");
        assertThat(refused.exit()).isEqualTo(3);
        assertThat(refused.err()).contains("cannot connect");
    }
}
