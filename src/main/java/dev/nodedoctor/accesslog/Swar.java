package dev.nodedoctor.accesslog;

import dev.nodedoctor.bytes.Words;

import static dev.nodedoctor.bytes.Words.at;
import static dev.nodedoctor.bytes.Words.lowestFlagged;
import static dev.nodedoctor.bytes.Words.zeroBytes;

/**
 * The JSON scanner's byte searches, eight bytes at a time ({@link Words}): the end of a string (its quote or
 * an escape) and a key compared a word at a time.
 */
final class Swar {
    private static final long QUOTES = Words.broadcast('"');
    private static final long BACKSLASHES = Words.broadcast('\\');

    private Swar() {
    }

    /** The first index in [i, e) holding '"' or '\\', or e. */
    static int quoteOrBackslash(byte[] b, int i, int e) {
        while (i + 8 <= e) {
            long w = at(b, i);
            long hit = zeroBytes(w ^ QUOTES) | zeroBytes(w ^ BACKSLASHES);
            if (hit != 0) {
                return i + lowestFlagged(hit);
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
            if (at(b, i + j) != at(k, j)) {
                return false;
            }
        }
        return at(b, i + n - 8) == at(k, n - 8);
    }
}
