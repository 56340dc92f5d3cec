package dev.nodedoctor.testkit;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A throw-away network namespace joined to the test's own namespace by a veth pair with a /30 of
 * 10.201.X.0 (X random): the peer address is {@link #address()}, ours {@link #hostAddress()}. Nothing leaves
 * the machine. {@link #close()} deletes the namespace, which removes the veth pair and its nftables rules, and
 * stops the listeners started in it. Names are unique per run so parallel or crashed runs never collide.
 */
public final class NetNamespace implements AutoCloseable {
    private final String name;
    private final String vethHost;
    private final String address;
    private final String hostAddress;
    private final List<Process> children = new ArrayList<>();

    private NetNamespace(String name, String vethHost, String address, String hostAddress) {
        this.name = name;
        this.vethHost = vethHost;
        this.address = address;
        this.hostAddress = hostAddress;
    }

    /** Skips the test unless we are root with ip(8) and nft(8). */
    public static NetNamespace create() throws IOException, InterruptedException {
        assumeTrue(Fixtures.isRoot(), "needs root to create network namespaces");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")),
                "needs ip (iproute2)");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nft")), "needs nft (Debian package nftables)");
        int tag = ThreadLocalRandom.current().nextInt(1, 1 << 20);
        int subnet = ThreadLocalRandom.current().nextInt(0, 64) * 4;
        int octet = ThreadLocalRandom.current().nextInt(0, 256);
        String name = "ndprobe-" + Integer.toHexString(tag);
        String vethHost = "ndp" + Integer.toHexString(tag) + "h";
        String vethPeer = "ndp" + Integer.toHexString(tag) + "p";
        String peer = "10.201." + octet + "." + (subnet + 1);
        String host = "10.201." + octet + "." + (subnet + 2);
        NetNamespace ns = new NetNamespace(name, vethHost, peer, host);
        try {
            sh("ip", "netns", "add", name);
            sh("ip", "link", "add", vethHost, "type", "veth", "peer", "name", vethPeer);
            sh("ip", "link", "set", vethPeer, "netns", name);
            sh("ip", "addr", "add", host + "/30", "dev", vethHost);
            sh("ip", "link", "set", vethHost, "up");
            sh("ip", "-n", name, "addr", "add", peer + "/30", "dev", vethPeer);
            sh("ip", "-n", name, "link", "set", vethPeer, "up");
            sh("ip", "-n", name, "link", "set", "lo", "up");
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    public String address() {
        return address;
    }

    public String hostAddress() {
        return hostAddress;
    }

    /** Loads an nftables ruleset into the namespace (its own tables only). */
    public void nft(String ruleset) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "netns", "exec", name, "nft", "-f", "-").redirectErrorStream(true).start();
        p.getOutputStream().write(ruleset.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("nft failed: " + out);
        }
    }

    /** Starts a {@link TcpListener} on {@link #address()}:port inside the namespace and waits until it listens. */
    public void listen(int port) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = List.of("ip", "netns", "exec", name,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Xmx32m", "-cp", cp.replace(File.pathSeparator + File.pathSeparator, File.pathSeparator),
                TcpListener.class.getName(), address, String.valueOf(port));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        children.add(p);
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (!"ready".equals(line)) {
            throw new IOException("listener did not start: " + line);
        }
    }

    @Override
    public void close() {
        for (Process p : children) {
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        // deleting the namespace destroys its end of the veth, which takes our end with it, and its nft tables
        try {
            sh("ip", "netns", "del", name);
        } catch (IOException | InterruptedException | RuntimeException ignored) {
            // best effort; the veth check below still runs
        }
        try {
            sh("ip", "link", "del", vethHost);
        } catch (IOException | InterruptedException | RuntimeException ignored) {
            // already gone with the namespace: the normal case
        }
    }

    /** Whether our end of the veth still exists (for cleanup assertions). */
    public boolean vethExists() {
        return Files.exists(Path.of("/sys/class/net", vethHost));
    }

    public String name() {
        return name;
    }

    private static void sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
        }
    }
}
