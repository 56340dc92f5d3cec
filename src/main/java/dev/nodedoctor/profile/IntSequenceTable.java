package dev.nodedoctor.profile;

import java.util.Arrays;

/**
 * Numbers distinct sequences of ints 0, 1, 2, … in the order first seen, as {@link StackTable} does for byte
 * strings. A stack whose frames are already numbered is a few dozen ints where its text is a kilobyte or more,
 * so hashing and comparing it here costs a small fraction of doing so on its bytes. Sequences are copied into one
 * arena the first time they are seen; memory follows the distinct sequences, never the input.
 */
final class IntSequenceTable extends NumberedKeys {
    private int[] arena = new int[1 << 12];
    private int arenaLen;

    /** The entry number of {@code s[0, n)}; a new sequence gets the next number ({@link #size()} before). */
    int entry(int[] s, int n) {
        int h = hash(s, n);
        int mask = slots.length - 1;
        int i = h & mask;
        while (true) {
            int e = slots[i] - 1;
            if (e < 0) {
                return insert(i, h, s, n);
            }
            if (hashes[e] == h && lengths[e] == n && Arrays.equals(arena, starts[e], starts[e] + n, s, 0, n)) {
                return e;
            }
            i = (i + 1) & mask;
        }
    }

    /** The ints of an entry: {@code arena()[start(e), start(e) + length(e))}. */
    int[] arena() {
        return arena;
    }

    private int insert(int slot, int h, int[] s, int n) {
        if (arenaLen + n > arena.length) {
            arena = Arrays.copyOf(arena, grownLength(arena.length, (long) arenaLen + n,
                    "more than 2^31 frames in distinct stacks"));
        }
        System.arraycopy(s, 0, arena, arenaLen, n);
        int e = add(slot, h, arenaLen, n);
        arenaLen += n;
        return e;
    }

    private static int hash(int[] s, int n) {
        long h = 0x9E3779B97F4A7C15L ^ n;
        for (int i = 0; i < n; i++) {
            h = Long.rotateLeft((h ^ s[i]) * 0xBF58476D1CE4E5B9L, 29);
        }
        h ^= h >>> 32;
        h *= 0x94D049BB133111EBL;
        h ^= h >>> 29;
        return (int) h;
    }
}
