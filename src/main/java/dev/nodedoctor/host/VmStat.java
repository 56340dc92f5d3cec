package dev.nodedoctor.host;

import dev.nodedoctor.sys.Parser;

import java.util.Map;

/** /proc/vmstat counters since boot (pgmajfault, oom_kill, workingset_refault_file, ...); absent = -1. */
public record VmStat(Map<String, Long> counters) {

    public static final Parser<VmStat> PARSER = (data, length) -> new VmStat(FlatKeyed.parse(data, length));

    public long get(String key) {
        Long v = counters.get(key);
        return v == null ? -1 : v;
    }
}
