package dev.nodedoctor.host;

import dev.nodedoctor.sys.Parser;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * /proc/slabinfo (version 2.x, root only): objects and bytes per slab cache. The dentry and inode caches are
 * what pin dying memory cgroups on older kernels.
 */
public record SlabInfo(Map<String, Cache> caches) {

    /** @param bytes num_objs × objsize: memory the cache holds */
    public record Cache(String name, long activeObjects, long objects, long objectSize) {
        public long bytes() {
            return objects * objectSize;
        }
    }

    public static final Parser<SlabInfo> PARSER = SlabInfo::parse;

    public static SlabInfo parse(byte[] data, int length) throws Parser.MalformedException {
        String text = new String(data, 0, length, StandardCharsets.UTF_8);
        if (!text.startsWith("slabinfo - version: 2")) {
            throw new Parser.MalformedException("not slabinfo version 2.x");
        }
        Map<String, Cache> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("slabinfo") || line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            if (f.length < 4) {
                continue;
            }
            try {
                out.put(f[0], new Cache(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])));
            } catch (NumberFormatException e) {
                throw new Parser.MalformedException("bad number in '" + line + "'");
            }
        }
        return new SlabInfo(out);
    }
}
