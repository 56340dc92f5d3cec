package dev.nodedoctor.accesslog;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --status} as the option's help writes it: single codes, classes, ranges, lists. */
class FiltersTest {
    private static boolean keeps(String status, int code) {
        AccessRecord r = new AccessRecord();
        r.status = code;
        return new Filters(null, status, Long.MIN_VALUE, Long.MAX_VALUE, -1, null).accepts(r);
    }

    @Test
    void statusCodesClassesRangesAndLists() {
        assertThat(keeps("502", 502)).isTrue();
        assertThat(keeps("502", 503)).isFalse();
        assertThat(keeps("5xx", 500)).isTrue();
        assertThat(keeps("5xx", 599)).isTrue();
        assertThat(keeps("5xx", 499)).isFalse();
        assertThat(keeps("502-504", 501)).isFalse();
        assertThat(keeps("502-504", 502)).isTrue();
        assertThat(keeps("502-504", 504)).isTrue();
        assertThat(keeps("502-504", 505)).isFalse();
        assertThat(keeps("499, 5xx", 499)).isTrue();
        assertThat(keeps("499,5xx", 503)).isTrue();
        assertThat(keeps("499,5xx", 404)).isFalse();
        assertThat(keeps("504-502", 503)).isFalse(); // an empty range keeps nothing
        assertThat(keeps("5xx", -1)).isFalse(); // no status logged
        assertThat(keeps(null, -1)).isTrue();
    }

    @Test
    void aBadStatusIsAUsageError() {
        assertThatThrownBy(() -> new Filters(null, "50x", Long.MIN_VALUE, Long.MAX_VALUE, -1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--status '50x'");
    }
}
