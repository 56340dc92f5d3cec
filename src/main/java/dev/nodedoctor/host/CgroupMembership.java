package dev.nodedoctor.host;

import dev.nodedoctor.sys.Parser;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of /proc/&lt;pid&gt;/cgroup: {@code hierarchy-id:controllers:path}. On cgroup v2 there is one
 * line {@code 0::/path}; on v1 one line per hierarchy ({@code 4:memory:/kubepods/...}); hybrid has both.
 */
public record CgroupMembership(int hierarchyId, List<String> controllers, String path) {

    public boolean isUnified() {
        return hierarchyId == 0 && controllers.isEmpty();
    }

    public boolean has(String controller) {
        return controllers.contains(controller);
    }

    public static final Parser<List<CgroupMembership>> PARSER = CgroupMembership::parse;

    public static List<CgroupMembership> parse(byte[] data, int length) throws Parser.MalformedException {
        String text = new String(data, 0, length, StandardCharsets.UTF_8);
        List<CgroupMembership> out = new ArrayList<>(4);
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int a = line.indexOf(':');
            int b = a < 0 ? -1 : line.indexOf(':', a + 1);
            if (b < 0) {
                throw new Parser.MalformedException("expected id:controllers:path, got '" + line + "'");
            }
            int id;
            try {
                id = Integer.parseInt(line.substring(0, a));
            } catch (NumberFormatException e) {
                throw new Parser.MalformedException("bad hierarchy id in '" + line + "'");
            }
            String ctl = line.substring(a + 1, b);
            List<String> controllers = ctl.isEmpty() ? List.of() : List.of(ctl.split(","));
            out.add(new CgroupMembership(id, controllers, line.substring(b + 1)));
        }
        return List.copyOf(out);
    }
}
