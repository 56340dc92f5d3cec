package dev.nodedoctor.sample;

import dev.nodedoctor.cgroup.CgroupPaths;
import dev.nodedoctor.cgroup.CgroupLayout;
import dev.nodedoctor.cgroup.CgroupMemory;
import dev.nodedoctor.cgroup.MemoryReader;
import dev.nodedoctor.host.CgroupMembership;
import dev.nodedoctor.host.ProcessStatus;
import dev.nodedoctor.sys.KernelFileException;
import dev.nodedoctor.sys.KernelFiles;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The `memory` view: every memory cgroup (or one, or the one a process is in) with the breakdown of its usage
 * and the resident memory of the processes inside, side by side — so ps, kubectl top and the OOM killer's
 * view of the same container can be compared.
 */
public final class MemoryInspector {

    /** One cgroup's memory with the processes in it (RSS split from /proc/PID/status, kB). */
    public record Row(CgroupMemory memory, int processes, long rssKb, long rssAnonKb, long rssFileKb,
                      long rssShmemKb) {
    }

    public record View(boolean v2, String mount, List<Row> rows, List<String> notes) {
    }

    private MemoryInspector() {
    }

    /**
     * @param cgroup a cgroup path, or null for all
     * @param pid    a process whose memory cgroup to show, or null
     */
    public static View inspect(KernelFiles files, String cgroup, Integer pid) throws KernelFileException {
        CgroupLayout layout = CgroupLayout.discover(files);
        MemoryReader reader = new MemoryReader(files, layout);
        List<String> notes = new ArrayList<>(layout.notes());
        if (!reader.available()) {
            throw new KernelFileException(KernelFileException.Kind.MISSING, "/sys/fs/cgroup",
                    "no memory cgroup controller is mounted (" + layout.describe() + ")");
        }
        String target = cgroup;
        if (pid != null) {
            List<CgroupMembership> lines = files.read("/proc/" + pid + "/cgroup", CgroupMembership.PARSER);
            target = lines.stream().filter(m -> reader.isV2() ? m.isUnified() : m.has("memory"))
                    .map(CgroupMembership::path).findFirst()
                    .orElseThrow(() -> new KernelFileException(KernelFileException.Kind.MISSING,
                            "/proc/" + pid + "/cgroup", "the process is in no memory cgroup"));
        }
        Map<String, CgroupMemory> cgroups;
        if (target != null) {
            CgroupMemory one = reader.read(target, notesOf(notes));
            if (one == null) {
                throw new KernelFileException(KernelFileException.Kind.MISSING, reader.file(target, "memory.stat"),
                        "no such memory cgroup");
            }
            cgroups = Map.of(target, one);
        } else {
            cgroups = reader.readAll(notesOf(notes));
        }
        Map<String, long[]> rss = processRss(files, reader.isV2(), notes);
        List<Row> rows = new ArrayList<>();
        for (CgroupMemory m : cgroups.values()) {
            long[] acc = new long[5];
            rss.forEach((path, v) -> {
                if (CgroupPaths.isAtOrBelow(path, m.path())) {
                    for (int i = 0; i < acc.length; i++) {
                        acc[i] += v[i];
                    }
                }
            });
            rows.add(new Row(m, (int) acc[0], acc[1], acc[2], acc[3], acc[4]));
        }
        rows.sort(Comparator.comparingLong((Row r) -> r.memory().usage()).reversed());
        return new View(reader.isV2(), reader.mount(), rows, notes);
    }

    private static java.util.function.Consumer<KernelFileException> notesOf(List<String> notes) {
        return e -> notes.add(e.getMessage());
    }

    /** memory cgroup path → {processes, rss, anon, file, shmem} in kB. */
    private static Map<String, long[]> processRss(KernelFiles files, boolean v2, List<String> notes) {
        Map<String, long[]> out = new LinkedHashMap<>();
        List<String> pids;
        try {
            pids = files.list("/proc");
        } catch (KernelFileException e) {
            notes.add(e.getMessage());
            return out;
        }
        record Pair(dev.nodedoctor.sys.Pending<List<CgroupMembership>> cg, dev.nodedoctor.sys.Pending<ProcessStatus> st) {
        }
        List<Pair> pending = new ArrayList<>();
        for (String p : pids) {
            if (!p.isEmpty() && Character.isDigit(p.charAt(0))) {
                pending.add(new Pair(files.submit("/proc/" + p + "/cgroup", CgroupMembership.PARSER),
                        files.submit("/proc/" + p + "/status", ProcessStatus.PARSER)));
            }
        }
        for (Pair p : pending) {
            List<CgroupMembership> cg = p.cg().getOrNull(e -> { });
            ProcessStatus st = p.st().getOrNull(e -> { });
            if (cg == null || st == null || st.vmRssKb() <= 0) {
                continue; // exited, or a kernel thread
            }
            for (CgroupMembership m : cg) {
                if (v2 ? m.isUnified() : m.has("memory")) {
                    long[] acc = out.computeIfAbsent(m.path(), k -> new long[5]);
                    acc[0]++;
                    acc[1] += st.vmRssKb();
                    acc[2] += Math.max(0, st.rssAnonKb());
                    acc[3] += Math.max(0, st.rssFileKb());
                    acc[4] += Math.max(0, st.rssShmemKb());
                }
            }
        }
        return out;
    }
}
