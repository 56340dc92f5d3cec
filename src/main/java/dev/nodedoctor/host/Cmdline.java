package dev.nodedoctor.host;

import dev.nodedoctor.sys.Parser;

import java.nio.charset.StandardCharsets;

/** /proc/&lt;pid&gt;/cmdline: NUL-separated arguments, shown joined by spaces. Empty for kernel threads. */
public final class Cmdline {
    /** Long command lines (java classpaths) are cut here: enough to recognise a program. */
    public static final int MAX_CHARS = 512;

    private Cmdline() {
    }

    public static final Parser<String> PARSER = Cmdline::parse;

    public static String parse(byte[] data, int length) {
        int n = length;
        while (n > 0 && data[n - 1] == 0) {
            n--;
        }
        int keep = Math.min(n, MAX_CHARS);
        byte[] copy = new byte[keep];
        for (int i = 0; i < keep; i++) {
            copy[i] = data[i] == 0 ? (byte) ' ' : data[i];
        }
        return new String(copy, StandardCharsets.UTF_8);
    }
}
