package dev.nodedoctor.cgroup;

import dev.nodedoctor.sys.Parser;

/** Lets the benchmarks use the package-private cgroup file parsers (bench module only; not in src/). */
public final class BenchAccess {
    private BenchAccess() {
    }

    public static final Parser<long[]> CPU_STAT = CgroupFiles.CPU_STAT;
    public static final Parser<long[]> CPUACCT_STAT = CgroupFiles.CPUACCT_STAT;
    public static final Parser<Long> NUMBER = CgroupFiles.NUMBER;
}
