package dev.nodedoctor.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A tiny TCP listener for live network tests: accepts and closes every connection. Run as a child process
 * (`ip netns exec NS java -cp … dev.nodedoctor.testkit.TcpListener ADDR PORT`) so it listens inside a network
 * namespace; prints "ready" once listening, exits when its stdin closes (the test ended or died).
 */
public final class TcpListener {
    private TcpListener() {
    }

    public static void main(String[] args) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1])), 128);
        Thread watchdog = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // keep waiting
                }
            } catch (IOException ignored) {
                // parent gone
            }
            System.exit(0);
        });
        watchdog.setDaemon(true);
        watchdog.start();
        System.out.println("ready");
        System.out.flush();
        while (true) {
            try (Socket s = server.accept()) {
                s.getInputStream().available();
            }
        }
    }
}
