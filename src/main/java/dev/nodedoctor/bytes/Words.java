package dev.nodedoctor.bytes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Bytes eight at a time ("SIMD within a register"), for the parsers of large text inputs (access logs, perf
 * scripts, folded stacks): they spend most of their time looking for the end of lines and strings, and a word
 * holding none of the wanted bytes is passed in one step. The zero-byte test is the classic
 * {@code (x - 0x01..) & ~x & 0x80..}; only its lowest flag is exact (a borrow can flag a byte above a zero).
 */
public final class Words {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    /** '\n' in every byte: {@code zeroBytes(word ^ NEWLINES)} flags the newlines of a word. */
    public static final long NEWLINES = ONES * '\n';

    private Words() {
    }

    /** The eight bytes at {@code b[i]}, little-endian: byte i is the lowest. */
    public static long at(byte[] b, int i) {
        return (long) LONG.get(b, i);
    }

    /** {@code c} in every byte of a word. */
    public static long broadcast(char c) {
        return ONES * c;
    }

    /** Flags (0x80) the zero bytes of {@code x}; the lowest flag is exact, those above it may not be. */
    public static long zeroBytes(long x) {
        return (x - ONES) & ~x & HIGHS;
    }

    /**
     * The index (0..7) of the lowest byte flagged by {@link #zeroBytes}: its lowest bit, moved to bit 0 of its
     * byte, times 0x0001020304050607 puts the byte index in the top byte. Long.numberOfTrailingZeros is a call,
     * not an instruction, in C1 code (collapse and flame run with C1: 3 % of collapse's time went there).
     */
    public static int lowestFlagged(long flags) {
        return (int) ((((flags & -flags) >>> 7) * 0x0001020304050607L) >>> 56);
    }

    /** The first '\n' in {@code b[from, to)}, or -1. */
    public static int newline(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long hit = zeroBytes(at(b, i) ^ NEWLINES);
            if (hit != 0) {
                return i + lowestFlagged(hit);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The bytes {@code b[from, to)} (at most eight) as a little-endian number, zeros above them. */
    public static long tail(byte[] b, int from, int to) {
        long tail = 0;
        for (int i = from, k = 0; i < to; i++, k += 8) {
            tail |= (b[i] & 0xffL) << k;
        }
        return tail;
    }
}
