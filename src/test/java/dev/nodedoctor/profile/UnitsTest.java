package dev.nodedoctor.profile;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Expected strings are what Go's fmt and pprof's measurement package print for the same numbers. */
class UnitsTest {
    @Test
    void percentagesAsPprof() {
        assertThat(Units.percentage(128, 176)).isEqualTo("72.73%");
        assertThat(Units.percentage(176, 176)).isEqualTo("  100%");
        assertThat(Units.percentage(0, 176)).isEqualTo("    0%");
        assertThat(Units.percentage(4, 24029)).isEqualTo("0.017%");
        assertThat(Units.percentage(1, 1_000_000)).isEqualTo("0.0001%");
        assertThat(Units.percentage(1, 100_000_000)).isEqualTo("1e-06%");
        assertThat(Units.percentage(5, 1000)).isEqualTo("  0.5%");
        assertThat(Units.percentage(-50, 100)).isEqualTo("50.00%");
    }

    @Test
    void goRoundsTheExactBinaryValueHalfToEven() {
        // 0.125 is exact in binary: Go prints 0.12, Java's %.2f would print 0.13
        assertThat(Units.fixed2(0.125)).isEqualTo("0.12");
        // 1.005 is 1.00499999999999989... in binary: Go prints 1.00
        assertThat(Units.fixed2(1.005)).isEqualTo("1.00");
        assertThat(Units.fixed2(-0.001)).isEqualTo("-0.00");
    }

    @Test
    void scaledLabels() {
        assertThat(Units.scaledLabel(1_280_000_000L, "nanoseconds", "s")).isEqualTo("1.28s");
        assertThat(Units.scaledLabel(10_000_000L, "nanoseconds", "ms")).isEqualTo("10ms");
        assertThat(Units.label(2_000_000_000L, "nanoseconds")).isEqualTo("2s");
        assertThat(Units.scaledLabel(11_886_592L, "bytes", "kB")).isEqualTo("11608kB");
        assertThat(Units.scaledLabel(331618, "count", "count")).isEqualTo("331618");
        assertThat(Units.scaledLabel(0, "bytes", "MB")).isEqualTo("0");
        assertThat(Units.label(7200L * 1_000_000_000L, "nanoseconds")).isEqualTo("2hrs");
        assertThat(Units.label(3L << 30, "bytes")).isEqualTo("3GB");
    }
}
