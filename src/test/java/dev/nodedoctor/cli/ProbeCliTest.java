package dev.nodedoctor.cli;

import dev.nodedoctor.testkit.Cli;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** `probe` as a user meets it: help, pages of its findings, and one-line errors for bad targets. */
class ProbeCliTest {

    private static void assertOneLineError(Cli.Run r, int exit, String contains) {
        assertThat(r.exit()).as("exit code; stderr: %s", r.err()).isEqualTo(exit);
        assertThat(r.err().lines()).as("stderr").hasSize(1);
        assertThat(r.err()).startsWith("nodedoctor: ").contains(contains).doesNotContain("\tat ");
    }

    @Test
    void helpAndPages() {
        assertThat(Cli.run("--help").out()).contains("probe");
        assertThat(Cli.run("probe", "--help").out()).contains("hiccup", "tcp");
        for (String id : new String[] {"kernel.hiccup", "tcp.syn-retransmit"}) {
            Cli.Run r = Cli.run("explain", id);
            assertThat(r.exit()).as(id).isZero();
            assertThat(r.out()).startsWith("# " + id).contains("## Thresholds", "## Fix", "find the periodic reader");
        }
    }

    @Test
    void anUnknownHostIsOneLineWithExitThree() {
        // .invalid never resolves (RFC 6761): the resolver says so without any host being contacted
        assertOneLineError(Cli.run("probe", "tcp", "no-such-host.invalid:80", "--count", "1"), 3,
                "cannot resolve 'no-such-host.invalid': unknown host");
    }

    @Test
    void badTargetsAndOptionsAreUsageErrors() {
        assertOneLineError(Cli.run("probe", "tcp", "localhost"), 2, "HOST:PORT");
        assertOneLineError(Cli.run("probe", "tcp", "localhost:99999"), 2, "between 1 and 65535");
        assertOneLineError(Cli.run("probe", "tcp", "127.0.0.1:1", "--count", "0"), 2, "--count");
        assertOneLineError(Cli.run("probe", "tcp", "127.0.0.1:1", "--timeout", "0"), 2, "--timeout");
        assertThat(Cli.run("probe", "tcp").exit()).isEqualTo(2);
    }

    @Test
    void aRefusedLoopbackPortIsCountedWithTheErrnoText() {
        // port 1 on loopback of this machine: nothing listens there, the kernel answers with a RST
        Cli.Run r = Cli.run("probe", "tcp", "127.0.0.1:1", "--count", "2", "--interval", "0", "--json");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).contains("\"refused\" : 2", "\"error\" : \"Connection refused\"");
        assertThat(r.err().strip()).isEqualTo("nodedoctor: error: no connect to 127.0.0.1:1 succeeded: 2 refused, "
                + "0 timed out, 0 failed (Connection refused)");
    }
}
