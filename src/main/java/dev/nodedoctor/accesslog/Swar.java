package dev.nodedoctor.accesslog;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Byte searches eight bytes at a time ("SIMD within a register"): the scanner spends most of its time
 * looking for the end of strings and lines, and a word that holds none of the wanted bytes is skipped in
 * one step. The zero-byte test is the classic {@code (x - 0x01..) & ~x & 0x80..}.
 */
final class Swar {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = ONES * '"';
    private static final long BACKSLASHES = ONES * '\\';
    private static final long NEWLINES = ONES * '\n';

    private Swar() {
    }

    private static long zeroBytes(long x) {
        return (x - ONES) & ~x & HIGHS;
    }

    /** The first index in [i, e) holding '"' or '\\', or e. */
    static int quoteOrBackslash(byte[] b, int i, int e) {
        while (i + 8 <= e) {
            long w = (long) LONG.get(b, i);
            long hit = zeroBytes(w ^ QUOTES) | zeroBytes(w ^ BACKSLASHES);
            if (hit != 0) {
                return i + (Long.numberOfTrailingZeros(hit) >>> 3);
            }
            i += 8;
        }
        while (i < e && b[i] != '"' && b[i] != '\\') {
            i++;
        }
        return i;
    }

    /**
     * Whether {@code b} holds the bytes of {@code k} at {@code i}, compared a word at a time (the last word
     * overlapping the one before it); the caller has checked that {@code i + k.length <= b.length}.
     */
    static boolean same(byte[] b, int i, byte[] k) {
        int n = k.length;
        if (n < 8) {
            for (int j = 0; j < n; j++) {
                if (b[i + j] != k[j]) {
                    return false;
                }
            }
            return true;
        }
        for (int j = 0; j + 8 < n; j += 8) {
            if ((long) LONG.get(b, i + j) != (long) LONG.get(k, j)) {
                return false;
            }
        }
        return (long) LONG.get(b, i + n - 8) == (long) LONG.get(k, n - 8);
    }

    /** The first index in [i, e) holding '\n', or -1. */
    static int newline(byte[] b, int i, int e) {
        while (i + 8 <= e) {
            long hit = zeroBytes((long) LONG.get(b, i) ^ NEWLINES);
            if (hit != 0) {
                return i + (Long.numberOfTrailingZeros(hit) >>> 3);
            }
            i += 8;
        }
        while (i < e) {
            if (b[i] == '\n') {
                return i;
            }
            i++;
        }
        return -1;
    }
}
