package dev.nodedoctor.accesslog;

import java.util.Arrays;

/**
 * A range of bytes as a hash-map key, so that a lookup by the bytes of a line allocates nothing: one probe
 * is {@link #set} and reused; only a key that is stored gets its own copy ({@link #compact}).
 */
final class ByteKey {
    private byte[] b;
    private int s;
    private int e;
    private int hash;

    ByteKey set(byte[] bytes, int start, int end) {
        b = bytes;
        s = start;
        e = end;
        int h = 1;
        for (int i = start; i < end; i++) {
            h = 31 * h + bytes[i];
        }
        hash = h;
        return this;
    }

    /** A copy that owns its bytes, to store in a map. */
    ByteKey compact() {
        ByteKey k = new ByteKey();
        k.b = Arrays.copyOfRange(b, s, e);
        k.s = 0;
        k.e = e - s;
        k.hash = hash;
        return k;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteKey k && Arrays.equals(b, s, e, k.b, k.s, k.e);
    }
}
