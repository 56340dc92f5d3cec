package dev.nodedoctor.cgroup;

import dev.nodedoctor.host.Pressure;
import dev.nodedoctor.sys.KernelFileException;
import dev.nodedoctor.sys.KernelFiles;
import dev.nodedoctor.sys.Pending;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the CPU and pids state of cgroups, v1 or v2 as the layout says. All reads of a pass are submitted
 * first and collected after, so a thousand cgroups cost one hand-off to the reader thread, not thousands.
 */
public final class CgroupReader {
    /** kubepods/burstable/pod/container is 4 deep; systemd slices add one per dash-level. 16 is plenty. */
    static final int MAX_DEPTH = 16;
    /** USER_HZ is 100 on every Linux architecture nodedoctor runs on; cpuacct.stat counts in it. */
    static final long NANOS_PER_TICK = 10_000_000L;

    private final KernelFiles files;
    private final CgroupLayout layout;
    private final String cpuMount;
    private final String cpuacctMount;
    private final String pidsMount;
    private final boolean cpuOnV2;

    public CgroupReader(KernelFiles files, CgroupLayout layout) {
        this.files = files;
        this.layout = layout;
        this.cpuOnV2 = layout.onV2("cpu");
        this.cpuMount = layout.mountOf("cpu");
        this.cpuacctMount = cpuOnV2 ? layout.unifiedMount() : layout.mountOf("cpuacct");
        this.pidsMount = layout.mountOf("pids");
    }

    public CgroupLayout layout() {
        return layout;
    }

    /** The hierarchy whose directories define "the cgroups" for CPU: v2 unified, or v1 cpu (or cpuacct). */
    public String walkMount() {
        return cpuMount != null ? cpuMount : cpuacctMount;
    }

    /** Every cgroup path in the CPU hierarchy, the root "/" first, parents before children. */
    public List<String> walk() throws KernelFileException {
        String mount = walkMount();
        if (mount == null) {
            return List.of();
        }
        List<String> rel = files.walkDirectories(mount, MAX_DEPTH);
        List<String> out = new ArrayList<>(rel.size() + 1);
        out.add("/");
        for (String r : rel) {
            out.add("/" + r);
        }
        return out;
    }

    private static String join(String mount, String cgroup, String file) {
        return cgroup.equals("/") ? mount + "/" + file : mount + cgroup + "/" + file;
    }

    /** Queues every read for one cgroup; call {@link PendingStats#collect} after queueing the whole pass. */
    public PendingStats submit(String cgroup) {
        return cpuOnV2 ? new V2(cgroup) : new V1(cgroup);
    }

    /** Reads one cgroup now. */
    public CgroupStats read(String cgroup, Consumer<KernelFileException> errors) {
        return submit(cgroup).collect(errors);
    }

    public abstract static class PendingStats {
        final String path;
        Pending<Long> pidsCurrent;
        Pending<Long> pidsMax;

        PendingStats(String path) {
            this.path = path;
        }

        /**
         * Waits for the reads and builds the record. Returns null if the cgroup vanished; other failures go
         * to {@code errors} and leave that part null or -1.
         */
        public abstract CgroupStats collect(Consumer<KernelFileException> errors);

        CgroupPids pids(Consumer<KernelFileException> errors) {
            if (pidsCurrent == null) {
                return null;
            }
            long cur = value(pidsCurrent, errors);
            long max = value(pidsMax, errors);
            return cur < 0 ? null : new CgroupPids(cur, max);
        }
    }

    void submitPids(PendingStats p) {
        if (pidsMount != null) {
            p.pidsCurrent = files.submit(join(pidsMount, p.path, "pids.current"), CgroupFiles.NUMBER);
            p.pidsMax = p.path.equals("/") ? null : files.submit(join(pidsMount, p.path, "pids.max"), CgroupFiles.NUMBER);
        }
    }

    /** The value, or -1 when the file is missing (optional files, or the root cgroup that lacks them). */
    static long value(Pending<Long> p, Consumer<KernelFileException> errors) {
        Long v = p == null ? null : p.getIfPresent(errors);
        return v == null ? -1 : v;
    }

    /** Vanished = its main file is missing: the cgroup was removed between the walk and the read. */
    static final class Vanished extends RuntimeException {
        Vanished() {
            super(null, null, false, false);
        }
    }

    private final class V1 extends PendingStats {
        final Pending<long[]> stat;
        final Pending<Long> usage;
        final Pending<long[]> acctStat;
        final Pending<Long> quota;
        final Pending<Long> period;
        final Pending<Long> shares;
        final Pending<Long> burst;

        V1(String cgroup) {
            super(cgroup);
            stat = cpuMount == null ? null : files.submit(join(cpuMount, cgroup, "cpu.stat"), CgroupFiles.CPU_STAT);
            quota = cpuMount == null ? null : files.submit(join(cpuMount, cgroup, "cpu.cfs_quota_us"), CgroupFiles.NUMBER);
            period = cpuMount == null ? null : files.submit(join(cpuMount, cgroup, "cpu.cfs_period_us"), CgroupFiles.NUMBER);
            shares = cpuMount == null ? null : files.submit(join(cpuMount, cgroup, "cpu.shares"), CgroupFiles.NUMBER);
            burst = cpuMount == null ? null : files.submit(join(cpuMount, cgroup, "cpu.cfs_burst_us"), CgroupFiles.NUMBER);
            usage = cpuacctMount == null ? null : files.submit(join(cpuacctMount, cgroup, "cpuacct.usage"), CgroupFiles.NUMBER);
            acctStat = cpuacctMount == null ? null : files.submit(join(cpuacctMount, cgroup, "cpuacct.stat"), CgroupFiles.CPUACCT_STAT);
            submitPids(this);
        }

        @Override
        public CgroupStats collect(Consumer<KernelFileException> errors) {
            long[] s = null;
            if (stat != null) {
                try {
                    s = stat.get();
                } catch (KernelFileException e) {
                    if (e.kind() == KernelFileException.Kind.MISSING) {
                        drain();
                        return null;
                    }
                    errors.accept(e);
                }
            }
            long use = value(usage, errors);
            long[] acct = acctStat == null ? null : acctStat.getIfPresent(errors);
            long q = value(quota, errors);
            long per = value(period, errors);
            long sh = value(shares, errors);
            long b = value(burst, errors);
            CgroupCpu cpu = new CgroupCpu(use,
                    acct == null || acct[0] < 0 ? -1 : acct[0] * NANOS_PER_TICK,
                    acct == null || acct[1] < 0 ? -1 : acct[1] * NANOS_PER_TICK,
                    q <= 0 ? -1 : q, per, b, sh, -1,
                    s == null ? -1 : s[CgroupFiles.NR_PERIODS],
                    s == null ? -1 : s[CgroupFiles.NR_THROTTLED],
                    s == null ? -1 : s[CgroupFiles.THROTTLED_TIME_NS]);
            return new CgroupStats(path, cpu, pids(errors), null);
        }

        private void drain() {
            // wait for the rest so the reader's queue does not keep work for a cgroup we dropped
            Consumer<KernelFileException> ignore = e -> { };
            value(usage, ignore);
            value(quota, ignore);
            value(period, ignore);
            value(shares, ignore);
            value(burst, ignore);
            value(pidsCurrent, ignore);
            value(pidsMax, ignore);
            if (acctStat != null) {
                acctStat.getOrNull(ignore);
            }
        }
    }

    private final class V2 extends PendingStats {
        final Pending<long[]> stat;
        final Pending<long[]> max;
        final Pending<Long> weight;
        final Pending<Long> burst;
        final Pending<Pressure> pressure;

        V2(String cgroup) {
            super(cgroup);
            String m = cpuMount;
            stat = files.submit(join(m, cgroup, "cpu.stat"), CgroupFiles.CPU_STAT);
            boolean root = cgroup.equals("/");
            // the v2 root has no cpu.max / cpu.weight / cpu.pressure of its own (/proc/pressure/cpu is it)
            max = root ? null : files.submit(join(m, cgroup, "cpu.max"), CgroupFiles.CPU_MAX);
            weight = root ? null : files.submit(join(m, cgroup, "cpu.weight"), CgroupFiles.NUMBER);
            burst = root ? null : files.submit(join(m, cgroup, "cpu.max.burst"), CgroupFiles.NUMBER);
            pressure = root ? null : files.submit(join(m, cgroup, "cpu.pressure"), Pressure.PARSER);
            submitPids(this);
        }

        @Override
        public CgroupStats collect(Consumer<KernelFileException> errors) {
            long[] s;
            try {
                s = stat.get();
            } catch (KernelFileException e) {
                Consumer<KernelFileException> sink = e.kind() == KernelFileException.Kind.MISSING ? x -> { } : errors;
                if (e.kind() != KernelFileException.Kind.MISSING) {
                    errors.accept(e);
                }
                drain(sink);
                return e.kind() == KernelFileException.Kind.MISSING ? null : new CgroupStats(path, null, null, null);
            }
            long[] qp = max == null ? null : max.getIfPresent(errors);
            long w = value(weight, errors);
            long b = value(burst, errors);
            Pressure psi = pressure == null ? null : pressure.getIfPresent(errors);
            CgroupCpu cpu = new CgroupCpu(
                    micros(s[CgroupFiles.USAGE_USEC]), micros(s[CgroupFiles.USER_USEC]), micros(s[CgroupFiles.SYSTEM_USEC]),
                    qp == null ? -1 : qp[0], qp == null ? -1 : qp[1], b, -1, w,
                    s[CgroupFiles.NR_PERIODS], s[CgroupFiles.NR_THROTTLED], micros(s[CgroupFiles.THROTTLED_USEC]));
            return new CgroupStats(path, cpu, pids(errors), psi);
        }

        private void drain(Consumer<KernelFileException> sink) {
            if (max != null) {
                max.getOrNull(sink);
            }
            value(weight, sink);
            value(burst, sink);
            if (pressure != null) {
                pressure.getOrNull(sink);
            }
            value(pidsCurrent, sink);
            value(pidsMax, sink);
        }

        private long micros(long v) {
            return v < 0 ? -1 : v * 1000;
        }
    }
}
