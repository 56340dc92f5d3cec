package dev.nodedoctor.profile;

import java.util.Arrays;

/**
 * What a table numbering distinct keys 0, 1, 2, … in the order first seen keeps besides its keys: open
 * addressing over entry numbers, and each entry's hash, start and length in the arena of keys. {@link StackTable}
 * (byte strings) and {@link IntSequenceTable} (int sequences) keep the arena and compare keys; their probe loops
 * stay in them, reading these arrays directly, so that a lookup on the hot path makes no virtual call.
 */
abstract class NumberedKeys {
    protected int[] slots = new int[1 << 12]; // entry index + 1, 0 = free
    protected int[] hashes = new int[1 << 10];
    protected int[] starts = new int[1 << 10];
    protected int[] lengths = new int[1 << 10];
    protected int size;

    final int size() {
        return size;
    }

    final int start(int entry) {
        return starts[entry];
    }

    final int length(int entry) {
        return lengths[entry];
    }

    /**
     * Numbers a new key, already copied to the arena at {@code [start, start + n)}, and puts it in the free
     * {@code slot} its probe ended on; returns its number.
     */
    protected final int add(int slot, int h, int start, int n) {
        if (size == hashes.length) {
            int cap = size * 2;
            hashes = Arrays.copyOf(hashes, cap);
            starts = Arrays.copyOf(starts, cap);
            lengths = Arrays.copyOf(lengths, cap);
        }
        int e = size++;
        hashes[e] = h;
        starts[e] = start;
        lengths[e] = n;
        slots[slot] = e + 1;
        if (size * 2 > slots.length) {
            rehash();
        }
        return e;
    }

    private void rehash() {
        int[] s = new int[slots.length * 2];
        int mask = s.length - 1;
        for (int e = 0; e < size; e++) {
            int i = hashes[e] & mask;
            while (s[i] != 0) {
                i = (i + 1) & mask;
            }
            s[i] = e + 1;
        }
        slots = s;
    }

    /**
     * The length to grow an arena of {@code length} to so that it holds {@code need}: doubled, or at least
     * {@code need}, at most what an array can hold; past that, {@code tooMuch} is the error.
     */
    protected static int grownLength(int length, long need, String tooMuch) {
        long want = Math.max((long) length * 2, need);
        if (want > Integer.MAX_VALUE - 16) {
            want = Integer.MAX_VALUE - 16;
            if (need > want) {
                throw new IllegalStateException(tooMuch);
            }
        }
        return (int) want;
    }
}
