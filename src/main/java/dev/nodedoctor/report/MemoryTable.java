package dev.nodedoctor.report;

import dev.nodedoctor.cgroup.CgroupMemory;
import dev.nodedoctor.sample.MemoryInspector;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Function;

/** The `memory` command's tables: all cgroups in columns, or one cgroup as a breakdown with its explanation. */
public final class MemoryTable {
    private static final double MIB = 1024 * 1024;

    private MemoryTable() {
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "-" : String.format(Locale.ROOT, "%.1f", bytes / MIB);
    }

    public static void printAll(MemoryInspector.View view, int limit, boolean all, Function<String, String> podLabel,
                                PrintWriter out) {
        out.println(String.format(Locale.ROOT, "%9s %9s %9s %6s %9s %9s %9s %8s %8s %8s %8s %5s  %s",
                "LIMIT", "USAGE", "WSET", "WSET%", "ANON", "FILE", "INACT", "DIRTY", "SHMEM", "KERNEL", "RSS", "OOMK",
                "CGROUP (POD)  [MiB]"));
        int n = 0;
        for (MemoryInspector.Row r : view.rows()) {
            CgroupMemory m = r.memory();
            if (!all && !m.hasLimit() && !m.path().equals("/")) {
                continue;
            }
            if (limit > 0 && n++ >= limit) {
                break;
            }
            String pod = podLabel.apply(m.path());
            out.println(String.format(Locale.ROOT, "%9s %9s %9s %6s %9s %9s %9s %8s %8s %8s %8s %5s  %s%s",
                    m.hasLimit() ? mib(m.limit()) : "-", mib(m.usage()), mib(m.workingSet()),
                    m.hasLimit() && m.usage() >= 0 ? String.format(Locale.ROOT, "%.0f", 100.0 * m.workingSet() / m.limit()) : "-",
                    mib(m.anon()), mib(m.file()), mib(m.inactiveFile()), mib(add(m.dirty(), m.writeback())),
                    mib(m.shmem()), mib(m.kernelUsage()), r.processes() == 0 ? "-" : mib(r.rssKb() * 1024),
                    m.event("oom_kill") < 0 ? "-" : String.valueOf(m.event("oom_kill")), m.path(),
                    pod == null ? "" : "  (" + pod + ")"));
        }
        out.flush();
    }

    private static long add(long a, long b) {
        return a < 0 ? b : b < 0 ? a : a + b;
    }

    public static void printOne(MemoryInspector.View view, MemoryInspector.Row r, String pod, PrintWriter out) {
        CgroupMemory m = r.memory();
        out.println("cgroup " + m.path() + (pod == null ? "" : "  (" + pod + ")"));
        out.println("  " + (view.v2() ? "cgroup v2" : "cgroup v1") + " at " + view.mount());
        line(out, "limit", m.hasLimit() ? mib(m.limit()) + " MiB" : "none");
        line(out, "usage", mib(m.usage()) + " MiB" + (m.hasLimit() ? pct(m.usage(), m.limit()) : ""));
        line(out, "working set", mib(m.workingSet()) + " MiB" + (m.hasLimit() ? pct(m.workingSet(), m.limit()) : "")
                + "   <- what kubectl top shows (usage - inactive_file)");
        line(out, "anon", mib(m.anon()) + " MiB   heap, stacks: the processes' own memory");
        line(out, "file (page cache)", mib(m.file()) + " MiB   includes shmem below");
        line(out, "  active_file", mib(m.activeFile()) + " MiB");
        line(out, "  inactive_file", mib(m.inactiveFile()) + " MiB   reclaimable first");
        line(out, "  dirty", mib(m.dirty()) + " MiB   not yet written: must reach the disk before it can go");
        line(out, "  writeback", mib(m.writeback()) + " MiB");
        line(out, "  shmem", mib(m.shmem()) + " MiB   tmpfs / shared memory: not reclaimable without swap");
        line(out, "kernel", mib(m.kernelUsage()) + " MiB");
        if (m.maxUsage() > 0) {
            line(out, "peak usage", mib(m.maxUsage()) + " MiB");
        }
        if (m.failcnt() >= 0) {
            line(out, "hit the limit", m.failcnt() + " times");
        }
        if (m.event("oom_kill") >= 0) {
            line(out, "OOM kills", String.valueOf(m.event("oom_kill")));
        }
        out.println();
        if (r.processes() > 0) {
            out.printf(Locale.ROOT, "  %d processes, RSS %s MiB (anon %s, file %s, shmem %s)   <- what ps/top show%n",
                    r.processes(), mib(r.rssKb() * 1024), mib(r.rssAnonKb() * 1024), mib(r.rssFileKb() * 1024),
                    mib(r.rssShmemKb() * 1024));
            long gap = m.usage() - r.rssKb() * 1024;
            if (m.usage() >= 0 && gap > 0) {
                out.printf(Locale.ROOT, "  usage - RSS = %s MiB that no process maps: page cache (%s MiB not mapped), "
                                + "tmpfs, kernel memory. The OOM killer goes by usage, not by RSS.%n",
                        mib(gap), mib(Math.max(0, m.file() - r.rssFileKb() * 1024 - r.rssShmemKb() * 1024)));
            }
        } else {
            out.println("  no processes in this cgroup (or none readable)");
        }
        out.flush();
    }

    private static String pct(long part, long whole) {
        return whole <= 0 || part < 0 ? "" : String.format(Locale.ROOT, " (%.0f%% of the limit)", 100.0 * part / whole);
    }

    private static void line(PrintWriter out, String name, String value) {
        out.println("  " + Text.pad(name, 20) + value);
    }
}
