package dev.nodedoctor.probe;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TcpTargetTest {
    @Test
    void targetsParse() {
        assertThat(TcpProbe.parseTarget("example.org:443").getHostString()).isEqualTo("example.org");
        assertThat(TcpProbe.parseTarget("[::1]:8080").getHostString()).isEqualTo("::1");
        assertThat(TcpProbe.parseTarget("[::1]:8080").getPort()).isEqualTo(8080);
        assertThatThrownBy(() -> TcpProbe.parseTarget("host")).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> TcpProbe.parseTarget("host:")).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> TcpProbe.parseTarget("host:http")).hasMessageContaining("port must be a number");
        assertThatThrownBy(() -> TcpProbe.parseTarget("host:70000")).hasMessageContaining("between 1 and 65535");
        assertThatThrownBy(() -> TcpProbe.parseTarget("::1:80")).hasMessageContaining("brackets");
    }

    @Test
    void optionsAreBounded() {
        assertThatThrownBy(() -> new TcpProbe.Options(0, Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("--count");
        assertThatThrownBy(() -> new TcpProbe.Options(1, Duration.ofMillis(-1), Duration.ofSeconds(1))).hasMessageContaining("--interval");
        assertThatThrownBy(() -> new TcpProbe.Options(1, Duration.ZERO, Duration.ZERO)).hasMessageContaining("--timeout");
    }
}
