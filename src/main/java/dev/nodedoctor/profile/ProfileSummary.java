package dev.nodedoctor.profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the profile rules need from one pprof profile, computed once: its kind, the share of CPU spent in the Go
 * garbage collector and in reading cgroup statistics (each counted once per sample), and for heap profiles the
 * function that allocated the most objects, with its bytes and its heaviest stack.
 *
 * @param source        the file or URL, for the evidence
 * @param cpu           a CPU profile (sample type cpu/nanoseconds or samples)
 * @param heap          a heap profile (has alloc_objects and alloc_space)
 * @param total         CPU: total of the default sample type; heap: total alloc_objects
 * @param unit          unit of {@code total}
 * @param gcShare       CPU: share of samples with a GC frame (0..1)
 * @param gcTop         CPU: the GC functions with the largest cum, with their share
 * @param cgroupShare   CPU: share of samples reading cgroup statistics
 * @param cgroupStack   CPU: the heaviest such stack, root first
 * @param topAllocator  heap: the allocator of most objects, or null
 */
public record ProfileSummary(String source, boolean cpu, boolean heap, long total, String unit, double gcShare,
                             List<Share> gcTop, double cgroupShare, List<String> cgroupStack,
                             Allocator topAllocator) {

    public record Share(String function, double share) {
    }

    /** The function that allocated the most objects (flat), the bytes they took, and its heaviest stack. */
    public record Allocator(String function, long objects, long bytes, double objectShare, List<String> stack) {
        public double bytesPerObject() {
            return objects == 0 ? 0 : (double) bytes / objects;
        }
    }

    /** Frames of the Go garbage collector and of allocation, whose cost grows with the number of objects. */
    static final Pattern GC = Pattern.compile("runtime\\.(gcBgMarkWorker|gcDrain\\w*|scanobject|scanblock|greyobject"
            + "|markroot\\w*|gcAssistAlloc\\w*|gcMarkDone|gcMarkTermination|bgsweep|sweepone|mallocgc\\w*|findObject"
            + "|heapBitsSetType|wbBufFlush\\w*|scanstack|gcStart)");
    /**
     * Frames that read cgroup statistics: cAdvisor's housekeeping loop and the runc/cAdvisor cgroup managers'
     * GetStats / memory.stat readers, as seen in kubelet and cAdvisor profiles.
     */
    static final Pattern CGROUP = Pattern.compile("(?i)(cadvisor.*housekeeping|cgroups?.*\\.GetStats|memory\\.stat"
            + "|MemoryGroup\\)\\.GetStats|getMemoryData|setMemoryStats|statMemory|cgroups.*ParseKeyValue)");

    private static final int IS_GC = 1;
    private static final int READS_CGROUPS = 2;

    private static int kind(String function) {
        return (GC.matcher(function).matches() ? IS_GC : 0) | (CGROUP.matcher(function).find() ? READS_CGROUPS : 0);
    }

    public static ProfileSummary of(PprofProfile p, String source) {
        List<String> types = p.sampleTypes().stream().map(PprofProfile.ValueType::type).toList();
        boolean heap = types.contains("alloc_objects") && types.contains("alloc_space");
        int si = p.sampleIndex(null);
        PprofProfile.ValueType t = p.sampleTypes().get(si);
        boolean cpu = !heap && (t.type().equals("cpu") || t.unit().equals("nanoseconds") || t.type().equals("samples"));
        if (heap) {
            return heapSummary(p, source, types.indexOf("alloc_objects"), types.indexOf("alloc_space"));
        }
        long total = 0;
        long gc = 0;
        long cg = 0;
        Map<String, Long> gcCum = new HashMap<>();
        Map<String, Long> cgStacks = new HashMap<>();
        // each distinct function is matched once (a profile repeats its ~10^4 names in ~10^5-10^6 frames), and
        // each location's kinds are OR-ed once: most samples are neither GC nor cgroup reading, and need no names
        Map<String, Integer> kinds = new HashMap<>();
        int[] locationKinds = new int[p.locations().size()];
        java.util.Arrays.fill(locationKinds, -1);
        for (PprofProfile.Sample s : p.samples()) {
            long v = Math.abs(s.values()[si]);
            total += v;
            int sampleKind = 0;
            for (PprofProfile.Location l : s.locations()) {
                int k = locationKinds[l.index()];
                if (k < 0) {
                    k = 0;
                    for (PprofProfile.Line line : l.lines()) {
                        if (line.function() != null) {
                            k |= kinds.computeIfAbsent(line.function().name(), ProfileSummary::kind);
                        }
                    }
                    locationKinds[l.index()] = k;
                }
                sampleKind |= k;
            }
            if (sampleKind == 0) {
                continue;
            }
            List<String> names = names(s);
            if ((sampleKind & IS_GC) != 0) {
                gc += v;
                java.util.Set<String> seen = new java.util.HashSet<>();
                for (String n : names) {
                    if ((kinds.get(n) & IS_GC) != 0 && seen.add(n)) {
                        gcCum.merge(n, v, Long::sum);
                    }
                }
            }
            if ((sampleKind & READS_CGROUPS) != 0) {
                cg += v;
                cgStacks.merge(String.join(";", names), v, Long::sum);
            }
        }
        long tot = total;
        List<Share> gcTop = gcCum.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(4).map(e -> new Share(e.getKey(), tot == 0 ? 0 : e.getValue() / (double) tot)).toList();
        List<String> cgStack = cgStacks.entrySet().stream()
                .max(Map.Entry.<String, Long>comparingByValue()
                        .thenComparing((a, b) -> b.getKey().compareTo(a.getKey())))
                .map(e -> List.of(e.getKey().split(";"))).orElse(List.of());
        return new ProfileSummary(source, cpu, false, total, t.unit(), total == 0 ? 0 : gc / (double) total, gcTop,
                total == 0 ? 0 : cg / (double) total, cgStack, null);
    }

    private static ProfileSummary heapSummary(PprofProfile p, String source, int objIdx, int spaceIdx) {
        Map<String, long[]> byLeaf = new HashMap<>();
        Map<String, long[]> stacks = new HashMap<>();
        long total = 0;
        for (PprofProfile.Sample s : p.samples()) {
            long objects = s.values()[objIdx];
            long bytes = s.values()[spaceIdx];
            total += Math.abs(objects);
            List<String> names = names(s);
            if (names.isEmpty()) {
                continue;
            }
            // flat: the function at the leaf, past runtime allocation frames (mallocgc, newobject, …)
            int leaf = names.size() - 1;
            while (leaf > 0 && names.get(leaf).startsWith("runtime.")) {
                leaf--;
            }
            String fn = names.get(leaf);
            long[] a = byLeaf.computeIfAbsent(fn, k -> new long[2]);
            a[0] += objects;
            a[1] += bytes;
            long[] st = stacks.computeIfAbsent(fn + "\n" + String.join(";", names.subList(0, leaf + 1)), k -> new long[1]);
            st[0] += objects;
        }
        Allocator top = null;
        for (Map.Entry<String, long[]> e : byLeaf.entrySet()) {
            if (top == null || e.getValue()[0] > top.objects()
                    || (e.getValue()[0] == top.objects() && e.getKey().compareTo(top.function()) < 0)) {
                top = new Allocator(e.getKey(), e.getValue()[0], e.getValue()[1], 0, List.of());
            }
        }
        if (top != null) {
            String prefix = top.function() + "\n";
            List<String> stack = stacks.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                    .max(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[0]))
                    .map(e -> List.of(e.getKey().substring(prefix.length()).split(";"))).orElse(List.of());
            top = new Allocator(top.function(), top.objects(), top.bytes(),
                    total == 0 ? 0 : top.objects() / (double) total, stack);
        }
        return new ProfileSummary(source, false, true, total, "objects", 0, List.of(), 0, List.of(), top);
    }

    /** Function names of a sample, root first, inlined frames expanded. */
    private static List<String> names(PprofProfile.Sample s) {
        List<String> out = new ArrayList<>();
        PprofProfile.Location[] locs = s.locations();
        for (int i = locs.length - 1; i >= 0; i--) {
            List<PprofProfile.Line> lines = locs[i].lines();
            for (int j = lines.size() - 1; j >= 0; j--) {
                PprofProfile.Function f = lines.get(j).function();
                if (f != null && !f.name().isEmpty()) {
                    out.add(f.name());
                }
            }
        }
        return out;
    }
}
