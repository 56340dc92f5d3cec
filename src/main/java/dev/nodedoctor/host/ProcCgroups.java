package dev.nodedoctor.host;

import dev.nodedoctor.sys.Parser;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * /proc/cgroups: per controller, its hierarchy id (0 = cgroup v2) and {@code num_cgroups} — which counts
 * live <em>and dying</em> cgroups (removed directories the kernel still holds because memory charged to them
 * is in use). Live directories subtracted from it leave the dying ones.
 */
public record ProcCgroups(Map<String, Controller> controllers) {

    public record Controller(String name, int hierarchy, long numCgroups, boolean enabled) {
    }

    public static final Parser<ProcCgroups> PARSER = ProcCgroups::parse;

    public static ProcCgroups parse(byte[] data, int length) throws Parser.MalformedException {
        Map<String, Controller> out = new LinkedHashMap<>();
        for (String line : new String(data, 0, length, StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            if (f.length < 4) {
                throw new Parser.MalformedException("expected 'name hierarchy num_cgroups enabled', got '" + line + "'");
            }
            try {
                out.put(f[0], new Controller(f[0], Integer.parseInt(f[1]), Long.parseLong(f[2]), f[3].equals("1")));
            } catch (NumberFormatException e) {
                throw new Parser.MalformedException("bad number in '" + line + "'");
            }
        }
        if (out.isEmpty()) {
            throw new Parser.MalformedException("no controllers listed");
        }
        return new ProcCgroups(out);
    }

    public long numCgroups(String controller) {
        Controller c = controllers.get(controller);
        return c == null ? -1 : c.numCgroups();
    }
}
