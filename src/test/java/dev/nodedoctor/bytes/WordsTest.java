package dev.nodedoctor.bytes;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The word-at-a-time helpers against byte-at-a-time answers, on every pattern they can meet. */
class WordsTest {
    @Test
    void lowestFlaggedByteOfEveryPattern() {
        for (int bits = 1; bits < 256; bits++) {
            long t = 0;
            for (int k = 0; k < 8; k++) {
                if ((bits & (1 << k)) != 0) {
                    t |= 0x80L << (8 * k);
                }
            }
            assertThat(Words.lowestFlagged(t)).isEqualTo(Long.numberOfTrailingZeros(t) >>> 3);
        }
    }

    @Test
    void newlineSearchFindsEveryPosition() {
        for (int len = 0; len < 40; len++) {
            for (int at = -1; at < len; at++) {
                byte[] b = new byte[len];
                java.util.Arrays.fill(b, (byte) 0x8A); // '\n' | 0x80: must not be taken for a '\n'
                if (at >= 0) {
                    b[at] = '\n';
                }
                assertThat(Words.newline(b, 0, len)).isEqualTo(at);
            }
        }
    }

    @Test
    void tailIsLittleEndian() {
        byte[] b = {1, 2, 3, (byte) 0xff};
        assertThat(Words.tail(b, 0, 0)).isZero();
        assertThat(Words.tail(b, 1, 4)).isEqualTo(0xff0302L);
        assertThat(Words.at(new byte[] {1, 0, 0, 0, 0, 0, 0, (byte) 0x80}, 0)).isEqualTo(0x8000000000000001L);
    }
}
