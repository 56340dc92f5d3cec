package dev.nodedoctor.kube;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Quantity}: apimachinery's resource.Quantity grammar, MilliValue() and Value(). */
class KubeQuantityTest {

    @ParameterizedTest(name = "{0} = {1} millicores")
    @CsvSource({
        "50m, 50",
        "0.5, 500",
        "1, 1000",
        "2, 2000",
        "250m, 250",
        "1500m, 1500",
        "1e3, 1000000",
        ".5, 500",
        "5., 5000",
        "+1, 1000",
        // MilliValue rounds up: ceil(q * 1000)
        "0.1m, 1",
        "1.0001, 1001",
        "500u, 1",
        "0, 0",
    })
    void cpuInMillicores(String text, long millis) {
        assertThat(Quantity.parse(text).milliValue()).isEqualTo(millis);
    }

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource({
        "100Mi, 104857600",
        "1Gi, 1073741824",
        "1.5Gi, 1610612736",
        "128M, 128000000",
        "500k, 500000",
        "1e3, 1000",
        "64Mi, 67108864",
        "1Ki, 1024",
        "2Ti, 2199023255552",
        "1E, 1000000000000000000",
        "5E-2, 1",
        // Value rounds up: ceil(q)
        "0.5, 1",
    })
    void memoryInBytes(String text, long bytes) {
        assertThat(Quantity.parse(text).value()).isEqualTo(bytes);
    }

    @Test
    void theKubernetesDocsExamples() {
        // kubernetes.io, "Resource Management for Pods and Containers", meaning of memory: these "represent
        // roughly the same value": 128974848, 129e6, 129M, 128974848000m, 123Mi. Three are exactly equal.
        assertThat(Quantity.parse("128974848").value()).isEqualTo(128_974_848L);
        assertThat(Quantity.parse("128974848000m").value()).isEqualTo(128_974_848L);
        assertThat(Quantity.parse("123Mi").value()).isEqualTo(123L * 1024 * 1024).isEqualTo(128_974_848L);
        assertThat(Quantity.parse("129e6").value()).isEqualTo(129_000_000L);
        assertThat(Quantity.parse("129M").value()).isEqualTo(129_000_000L);
        // "If you request 400m of memory, this is a request for 0.4 bytes" — a whole byte once rounded up
        assertThat(Quantity.parse("400m").amount()).isEqualByComparingTo("0.4");
        assertThat(Quantity.parse("400m").value()).isEqualTo(1);
    }

    @Test
    void negativeQuantitiesParseButSayso() {
        assertThat(Quantity.parse("-1").isNegative()).isTrue();
        assertThat(Quantity.parse("1").isNegative()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "12x", "abc", "1K", "1mi", "1MI", "1Kib", "1 Gi", " 1", "1 ", "1.2.3", "e3", "1e", "1e+", "--1", "1Ki5",
        "Mi", ".", "1,5", "0x10", "1GB", "½",
    })
    void badInputNamesTheValueAndTheExpectedForm(String text) {
        assertThatThrownBy(() -> Quantity.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("expected a number with an optional suffix")
                .hasMessageNotContaining("\n");
    }

    @Test
    void emptyInput() {
        assertThatThrownBy(() -> Quantity.parse("")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> Quantity.parse(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    }

    @Test
    void outOfRange() {
        assertThatThrownBy(() -> Quantity.parse("1e1000")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'1e1000'").hasMessageContaining("out of range");
        assertThatThrownBy(() -> Quantity.parse("1e99999999999")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out of range");
        // 10 exabytes do not fit in a signed 64-bit byte count (the largest is about 9.2E)
        assertThatThrownBy(() -> Quantity.parse("10E").value()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'10E'").hasMessageContaining("out of range");
        // 10 P CPUs are 10^19 millicores
        assertThatThrownBy(() -> Quantity.parse("10P").milliValue()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out of range");
    }
}
