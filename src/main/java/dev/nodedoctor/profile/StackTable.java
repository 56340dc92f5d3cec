package dev.nodedoctor.profile;

import dev.nodedoctor.bytes.Words;

import java.util.Arrays;

/**
 * Numbers distinct byte strings (stacks, frame lines) 0, 1, 2, … in the order first seen: a key is hashed and
 * compared where it lies in the read buffer, and copied (into one arena) only the first time it is seen. Memory
 * follows the number and size of distinct keys, never the input; no object per lookup. Callers keep their values
 * in arrays indexed by the entry number.
 */
final class StackTable extends NumberedKeys {
    private byte[] arena = new byte[1 << 16];
    private int arenaLen;

    /** The entry number of {@code b[start, end)}; a new key gets the next number ({@link #size()} before). */
    int entry(byte[] b, int start, int end) {
        return entry(b, start, end, hash(b, start, end));
    }

    /** {@link #entry(byte[], int, int)} for a key whose {@link #hash} is known (from {@link ByteLines}). */
    int entry(byte[] b, int start, int end, int h) {
        int i = slot(b, start, end, h);
        int e = slots[i] - 1;
        return e >= 0 ? e : insert(i, h, b, start, end);
    }

    /** The entry number of {@code b[start, end)}, or -1 when it is not in the table (nothing is added). */
    int find(byte[] b, int start, int end) {
        return slots[slot(b, start, end, hash(b, start, end))] - 1;
    }

    /** The slot holding the key, or the free slot where it would go. */
    private int slot(byte[] b, int start, int end, int h) {
        int mask = slots.length - 1;
        int i = h & mask;
        while (true) {
            int e = slots[i] - 1;
            if (e < 0 || hashes[e] == h && lengths[e] == end - start
                    && Arrays.equals(arena, starts[e], starts[e] + lengths[e], b, start, end)) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /** Bytes held by the keys: callers that cache (not sum) may start afresh past a budget. */
    int bytes() {
        return arenaLen;
    }

    byte[] arena() {
        return arena;
    }

    private int insert(int slot, int h, byte[] b, int start, int end) {
        int n = end - start;
        if (arenaLen + n > arena.length) {
            arena = Arrays.copyOf(arena, grownLength(arena.length, (long) arenaLen + n, "more than 2 GiB of distinct stacks"));
        }
        System.arraycopy(b, start, arena, arenaLen, n);
        int e = add(slot, h, arenaLen, n);
        arenaLen += n;
        return e;
    }

    static final long SEED = 0x9E3779B97F4A7C15L;

    /**
     * A fast 64-bit multiply-mix over 8 bytes at a time (little-endian, from the key's start), the last 0–7 bytes
     * as one number, and the length, folded to 32 bits. {@link ByteLines} computes the same while it looks for
     * the end of each line: {@code finish(mix(mix(SEED, w0), w1)…, tail, length)}.
     */
    static int hash(byte[] b, int start, int end) {
        long h = SEED;
        int i = start;
        for (; i + 8 <= end; i += 8) {
            h = mix(h, Words.at(b, i));
        }
        return finish(h, Words.tail(b, i, end), end - start);
    }

    static long mix(long h, long word) {
        return Long.rotateLeft((h ^ word) * 0xBF58476D1CE4E5B9L, 31);
    }

    static int finish(long h, long tail, int length) {
        h = ((h ^ tail) * 0x94D049BB133111EBL) ^ length;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (int) h;
    }
}
