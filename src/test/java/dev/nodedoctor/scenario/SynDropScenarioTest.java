package dev.nodedoctor.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nodedoctor.testkit.Cli;
import dev.nodedoctor.testkit.Fixtures;
import dev.nodedoctor.testkit.Nginx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Live, as root: the investigation's story for real. Two nginx layers and a backend run inside a
 * throw-away network namespace (its own loopback only); nftables there drops 30 % of the SYNs to the inner
 * layer's port. The kernel retransmits those SYNs after ~1 s (then ~2, ~3 s on this kernel's linear
 * timeouts), so `latency` must find the connect mode at the outer layer and in the gap, and put the tail on
 * the outer → inner hop.
 */
class SynDropScenarioTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int REQUESTS = 60;

    @TempDir
    Path tmp;

    static int sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", cmd));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
        return p.exitValue();
    }

    static Path conf(Path dir, int port, String location) throws IOException {
        Files.createDirectories(dir);
        String c = "daemon off;\npid " + dir.resolve("nginx.pid") + ";\nerror_log " + dir.resolve("error.log")
                + " warn;\nworker_processes 1;\nevents { worker_connections 512; }\nhttp {\n"
                + "  client_body_temp_path " + dir.resolve("body") + "; proxy_temp_path " + dir.resolve("proxy") + ";\n"
                + "  fastcgi_temp_path " + dir.resolve("fcgi") + "; uwsgi_temp_path " + dir.resolve("uwsgi") + ";\n"
                + "  scgi_temp_path " + dir.resolve("scgi") + ";\n  " + Nginx.JSON_FORMAT + "\n"
                + "  access_log " + dir.resolve("access.log") + " trace;\n"
                + "  server { listen 127.0.0.1:" + port + "; location / { " + location + " } }\n}\n";
        return Files.writeString(dir.resolve("nginx.conf"), c);
    }

    @Test
    void droppedSynsMakeTheOneSecondModeOnTheOuterHop() throws Exception {
        Nginx.assumeInstalled();
        assumeTrue(Fixtures.isRoot(), "needs root for a network namespace and nftables");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nft")), "needs nft (apt-get install nftables)");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/usr/bin/ip")), "needs ip (iproute2)");
        String ns = "ndlat" + ProcessHandle.current().pid();
        sh("ip", "netns", "add", ns);
        List<Nginx> servers = new ArrayList<>();
        try {
            sh("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            sh("ip", "netns", "exec", ns, "nft", "add table inet nd; add chain inet nd input "
                    + "{ type filter hook input priority 0; policy accept; }; add rule inet nd input tcp dport 18202 "
                    + "tcp flags & (syn | ack) == syn numgen random mod 100 < 30 drop");
            servers.add(Nginx.start(tmp.resolve("backend"), conf(tmp.resolve("backend"), 18203, "return 200 \"ok\\n\";"),
                    18203, tmp.resolve("backend/access.log"), ns));
            servers.add(Nginx.start(tmp.resolve("ingress"), conf(tmp.resolve("ingress"), 18202,
                    "proxy_pass http://127.0.0.1:18203;"), 18202, tmp.resolve("ingress/access.log"), ns));
            servers.add(Nginx.start(tmp.resolve("edge"), conf(tmp.resolve("edge"), 18201,
                    "proxy_pass http://127.0.0.1:18202; proxy_connect_timeout 15s;"), 18201, tmp.resolve("edge/access.log"), ns));
            // wait until the edge answers (the probe's own SYNs to the edge are never dropped)
            sh("ip", "netns", "exec", ns, "sh", "-c",
                    "for i in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:18201/ready && exit 0; sleep 0.1; done; exit 1");
            sh("ip", "netns", "exec", ns, "sh", "-c", "for i in $(seq " + REQUESTS + "); do "
                    + "curl -s -o /dev/null -m 20 -H \"X-Trace-Id: req-$i\" http://127.0.0.1:18201/api/$i & done; wait");
        } finally {
            for (int i = servers.size() - 1; i >= 0; i--) {
                servers.get(i).close();
            }
            sh("ip", "netns", "del", ns);
        }
        Path edgeLog = tmp.resolve("edge/access.log");
        Path ingressLog = tmp.resolve("ingress/access.log");
        Cli.Run r = Cli.run("latency", "--json", "--join", "trace_id", "--path", "^/api/", "--layer", "edge=" + edgeLog,
                "--layer", "ingress=" + ingressLog);
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode doc = JSON.readTree(r.out());
        JsonNode edgeConnect = doc.get("analysis").get("layers").get(0).get("connect");
        assertThat(edgeConnect.get("count").asLong()).isEqualTo(REQUESTS);
        List<String> subjects = new ArrayList<>();
        String hopTitle = null;
        for (JsonNode f : doc.get("findings")) {
            if (f.get("id").asText().equals("latency.connect-mode")) {
                subjects.add(f.get("subject").asText());
            }
            if (f.get("id").asText().equals("latency.hop")) {
                hopTitle = f.get("title").asText();
            }
        }
        assertThat(subjects).as(doc.get("findings").toString()).contains("layer edge", "hop edge → ingress");
        assertThat(subjects).doesNotContain("layer ingress");
        assertThat(hopTitle).as(doc.get("findings").toString()).contains("of the tail is edge → ingress");
        // the edge's upstream is the ingress port: the slow connects name it
        assertThat(doc.get("analysis").get("layers").get(0).get("slowConnects").get(0).get("addr").asText())
                .isEqualTo("127.0.0.1:18202");
    }
}
