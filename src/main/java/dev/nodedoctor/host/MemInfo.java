package dev.nodedoctor.host;

import dev.nodedoctor.sys.Parser;

import java.util.Map;

/**
 * /proc/meminfo in bytes. The kernel prints kB (KiB); {@link #bytes} converts. Absent keys are -1 (older
 * kernels lack MemAvailable, for example).
 */
public record MemInfo(Map<String, Long> kib) {

    public static final Parser<MemInfo> PARSER = (data, length) -> new MemInfo(FlatKeyed.parse(data, length));

    public long bytes(String key) {
        Long v = kib.get(key);
        return v == null ? -1 : v * 1024;
    }

    public long total() {
        return bytes("MemTotal");
    }

    public long available() {
        return bytes("MemAvailable");
    }
}
