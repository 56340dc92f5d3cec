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
                    if (i + 4 < e) {
                        int cp = Integer.parseInt(new String(b, i + 1, 4, StandardCharsets.US_ASCII), 16);
                        byte[] enc = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                        out.write(enc, 0, enc.length);
                        i += 4;
                    }
                }
                default -> out.write(n);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
