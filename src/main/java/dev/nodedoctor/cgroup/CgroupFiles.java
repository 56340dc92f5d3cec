package dev.nodedoctor.cgroup;

import dev.nodedoctor.sys.Cursor;
import dev.nodedoctor.sys.Parser;

/** Parsers for the small cgroup files: one number, {@code cpu.max}, and the flat-keyed {@code cpu.stat}. */
final class CgroupFiles {
    private CgroupFiles() {
    }

    /** A file holding one number; "max" reads as {@link Long#MAX_VALUE}. */
    static final Parser<Long> NUMBER = (data, length) -> new Cursor(data, length).nextLong();

    /** v2 cpu.max: {@code "50000 100000"} or {@code "max 100000"}. Returns {quota (-1 = none), period}. */
    static final Parser<long[]> CPU_MAX = (data, length) -> {
        Cursor c = new Cursor(data, length);
        long quota = c.nextLong();
        long period = c.atNumber() ? c.nextLong() : 100_000;
        return new long[] {quota == Long.MAX_VALUE ? -1 : quota, period};
    };

    static final String[] CPU_STAT_KEYS = {
        "nr_periods", "nr_throttled", "throttled_time", "throttled_usec", "usage_usec", "user_usec", "system_usec"};
    static final int NR_PERIODS = 0, NR_THROTTLED = 1, THROTTLED_TIME_NS = 2, THROTTLED_USEC = 3, USAGE_USEC = 4,
            USER_USEC = 5, SYSTEM_USEC = 6;

    static final Parser<long[]> CPU_STAT = (data, length) -> {
        long[] v = new long[CPU_STAT_KEYS.length];
        Cursor.keyed(data, length, CPU_STAT_KEYS, v);
        return v;
    };

    /** v1 cpuacct.stat: {@code user N} and {@code system N} in USER_HZ ticks. */
    static final String[] CPUACCT_STAT_KEYS = {"user", "system"};

    static final Parser<long[]> CPUACCT_STAT = (data, length) -> {
        long[] v = new long[2];
        Cursor.keyed(data, length, CPUACCT_STAT_KEYS, v);
        return v;
    };
}
