package dev.nodedoctor.accesslog;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Decoding of JSON string contents ({@code \"}, {@code \\}, backslash-u escapes) as nginx escape=json writes them. */
final class JsonText {
    private JsonText() {
    }

    static String unescape(byte[] b, int s, int e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(e - s);
        for (int i = s; i < e; i++) {
            byte c = b[i];
            if (c != '\\' || i + 1 >= e) {
                out.write(c);
                continue;
            }
            byte n = b[++i];
            switch (n) {
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case 'r' -> out.write('\r');
                case 'b' -> out.write('\b');
                case 'f' -> out.write('\f');
                case 'u' -> {
                    int cp = i + 4 < e ? hex4(b, i + 1) : -1;
                    if (cp >= 0) {
                        byte[] enc = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                        out.write(enc, 0, enc.length);
                        i += 4;
                    } else {
                        out.write('\\'); // not four hex digits: keep the text as logged
                        out.write('u');
                    }
                }
                default -> out.write(n);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Four hex digits at {@code i} as a number, or -1 (a log line may hold anything). */
    private static int hex4(byte[] b, int i) {
        int v = 0;
        for (int k = i; k < i + 4; k++) {
            int d = Character.digit(b[k], 16);
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }
}
