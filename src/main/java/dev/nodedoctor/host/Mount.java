package dev.nodedoctor.host;

import dev.nodedoctor.sys.Parser;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of /proc/self/mountinfo:
 * {@code 35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory}.
 *
 * @param root         the directory of the filesystem mounted here (not "/" for a bind mount or a
 *                     cgroup namespace)
 * @param superOptions per-superblock options; for cgroup v1 they name the controllers
 */
public record Mount(int id, int parentId, String root, String mountPoint, String fsType, String source,
                    String superOptions) {

    public List<String> superOptionList() {
        return List.of(superOptions.split(","));
    }

    public static final Parser<List<Mount>> PARSER = Mount::parseAll;

    public static List<Mount> parseAll(byte[] data, int length) throws Parser.MalformedException {
        String text = new String(data, 0, length, StandardCharsets.UTF_8);
        List<Mount> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                out.add(parse(line));
            }
        }
        return out;
    }

    static Mount parse(String line) throws Parser.MalformedException {
        String[] f = line.split(" ");
        int dash = -1;
        for (int i = 6; i < f.length; i++) {
            if (f[i].equals("-")) {
                dash = i;
                break;
            }
        }
        if (dash < 0 || dash + 2 >= f.length) {
            throw new Parser.MalformedException("not a mountinfo line: '" + line + "'");
        }
        try {
            return new Mount(Integer.parseInt(f[0]), Integer.parseInt(f[1]), unescape(f[3]), unescape(f[4]),
                    f[dash + 1], unescape(f[dash + 2]), dash + 3 < f.length ? f[dash + 3] : "");
        } catch (NumberFormatException e) {
            throw new Parser.MalformedException("bad mount id in '" + line + "'");
        }
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes: {@code \040}. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\' && isOctal(s, i + 1) && isOctal(s, i + 2) && isOctal(s, i + 3)) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    private static boolean isOctal(String s, int i) {
        return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7';
    }
}
