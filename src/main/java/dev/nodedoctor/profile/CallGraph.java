package dev.nodedoctor.profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The call graph pprof builds for its text reports (its {@code graph} package): one node per function (or per
 * source line), flat = value of the samples whose leaf it is, cum = value of the samples it appears in, counted
 * once per sample however often recursion repeats it; edges caller → callee, marked inline when the call was
 * inlined (both frames at one location). Nodes can be restricted to a kept set, as pprof's trimming does, in
 * which case dropped frames are skipped and a sample whose leaf was dropped gives no flat value to anyone.
 */
public final class CallGraph {
    /** What a node stands for. */
    public enum Granularity { FUNCTIONS, LINES }

    /** pprof's NodeInfo after aggregation: the identity of a node. */
    public record NodeInfo(String name, String file, long line, String objfile, long startLine) {
        /** The name pprof prints: function, file:line at line granularity, [binary] or <unknown> without one. */
        public String printableName() {
            StringBuilder b = new StringBuilder();
            if (!name.isEmpty()) {
                b.append(name);
            }
            String extra;
            if (line != 0) {
                extra = file + ":" + line;
            } else if (!file.isEmpty()) {
                extra = file;
            } else if (!name.isEmpty()) {
                extra = null;
            } else if (!objfile.isEmpty()) {
                int slash = objfile.lastIndexOf('/');
                extra = "[" + (slash >= 0 && slash < objfile.length() - 1 ? objfile.substring(slash + 1) : objfile) + "]";
            } else {
                extra = "<unknown>";
            }
            if (extra != null) {
                if (b.length() > 0) {
                    b.append(' ');
                }
                b.append(extra);
            }
            return b.toString();
        }

        /** Go's fmt.Sprint of the struct, pprof's last tie-break between nodes of equal printable name. */
        String goString() {
            return "{" + name + "  0 " + file + " " + startLine + " " + line + " 0 " + objfile + "}";
        }
    }

    /** One computed node. */
    public record Node(int id, NodeInfo info, long flat, long cum, boolean inlineIn, boolean notInlineIn) {
        /** pprof's "(inline)" / "(partial-inline)" marker from the incoming edges, "" when none. */
        public String inlineLabel() {
            if (!inlineIn) {
                return "";
            }
            return notInlineIn ? "(partial-inline)" : "(inline)";
        }
    }

    private final List<NodeInfo> infos = new ArrayList<>();
    private final Map<NodeInfo, Integer> index = new HashMap<>();
    /** Per sample: node ids from root to leaf, and whether the call into each frame was inlined. */
    private final int[][] frames;
    private final boolean[][] inlineCall;
    private final long[] values;

    private CallGraph(int samples) {
        frames = new int[samples][];
        inlineCall = new boolean[samples][];
        values = new long[samples];
    }

    /** The graph of {@code profile} for sample type {@code valueIndex}. */
    public static CallGraph of(PprofProfile profile, int valueIndex, Granularity granularity) {
        CallGraph g = new CallGraph(profile.samples().size());
        Prune prune = Prune.of(profile);
        int[][] locNodes = new int[profile.locations().size()][];
        for (PprofProfile.Location l : profile.locations()) {
            List<PprofProfile.Line> lines = prune.lines(l);
            int[] ids = new int[Math.max(1, lines.size())];
            String objfile = l.mapping() != null ? l.mapping().file() : "";
            if (lines.isEmpty()) {
                ids[0] = g.node(new NodeInfo("", "", 0, objfile, 0));
            }
            for (int i = 0; i < lines.size(); i++) {
                ids[i] = g.node(info(lines.get(i), objfile, granularity));
            }
            locNodes[l.index()] = ids;
        }
        int s = 0;
        for (PprofProfile.Sample sample : profile.samples()) {
            PprofProfile.Location[] stack = prune.stack(sample.locations());
            int n = 0;
            for (PprofProfile.Location l : stack) {
                n += locNodes[l.index()].length;
            }
            int[] f = new int[n];
            boolean[] inl = new boolean[n];
            int k = 0;
            for (int i = stack.length - 1; i >= 0; i--) {
                int[] ids = locNodes[stack[i].index()];
                for (int ni = ids.length - 1; ni >= 0; ni--) {
                    f[k] = ids[ni];
                    inl[k] = ni != ids.length - 1;
                    k++;
                }
            }
            g.frames[s] = f;
            g.inlineCall[s] = inl;
            g.values[s] = sample.values()[valueIndex];
            s++;
        }
        return g;
    }

    private static NodeInfo info(PprofProfile.Line line, String objfile, Granularity granularity) {
        PprofProfile.Function fn = line.function();
        if (fn == null) {
            return new NodeInfo("", "", 0, objfile, 0);
        }
        String file = "";
        long lineNo = 0;
        if (granularity == Granularity.LINES) {
            file = cleanPath(fn.filename());
            lineNo = line.line();
        }
        boolean anonymous = fn.name().isEmpty();
        return new NodeInfo(fn.name(), file, lineNo, anonymous ? objfile : "", anonymous ? fn.startLine() : 0);
    }

    /** Go's filepath.Clean for the common cases (duplicate and trailing slashes, "." segments). */
    static String cleanPath(String p) {
        if (p.isEmpty()) {
            return "";
        }
        boolean abs = p.startsWith("/");
        List<String> out = new ArrayList<>();
        for (String seg : p.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..") && !out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
                out.remove(out.size() - 1);
            } else if (!(seg.equals("..") && abs && out.isEmpty())) {
                out.add(seg);
            }
        }
        String joined = String.join("/", out);
        return abs ? "/" + joined : (joined.isEmpty() ? "." : joined);
    }

    private int node(NodeInfo info) {
        Integer id = index.get(info);
        if (id == null) {
            id = infos.size();
            infos.add(info);
            index.put(info, id);
        }
        return id;
    }

    /** Sum of |value| over all samples: pprof's report total. Refuses sums that overflow 64 bits. */
    public long total() throws ProfileFormatException {
        long total = 0;
        for (long v : values) {
            total = addMagnitude(total, v);
        }
        return total;
    }

    /**
     * pprof's report total of a whole profile, without building its graph (the total before -focus / -ignore):
     * the sum of |value|, or with a {@link DiffBase} only the base's samples, so that a diff reads "of the base".
     */
    public static long total(PprofProfile p, int valueIndex) throws ProfileFormatException {
        long total = 0;
        long base = 0;
        for (PprofProfile.Sample s : p.samples()) {
            total = addMagnitude(total, s.values()[valueIndex]);
            if (s.labels().containsKey(DiffBase.LABEL)) {
                base = addMagnitude(base, s.values()[valueIndex]);
            }
        }
        return base > 0 ? base : total;
    }

    private static long addMagnitude(long total, long v) throws ProfileFormatException {
        if (v == Long.MIN_VALUE) {
            throw new ProfileFormatException("a sample value is -2^63; its magnitude does not fit 64 bits");
        }
        try {
            return Math.addExact(total, Math.abs(v));
        } catch (ArithmeticException e) {
            throw new ProfileFormatException("sample values add up to more than 2^63; the profile's values are corrupt");
        }
    }

    public int sampleCount() {
        return values.length;
    }

    /**
     * The nodes with a non-zero flat or cum value, computed over the samples with only {@code kept} nodes
     * (null: all), edges lighter than {@code edgeCutoff} ignored for the inline markers.
     */
    public List<Node> compute(boolean[] kept, long edgeCutoff) {
        return compute(kept, edgeCutoff, true);
    }

    /** As {@link #compute(boolean[], long)}; without edges the inline markers are left out (faster). */
    public List<Node> compute(boolean[] kept, long edgeCutoff, boolean withEdges) {
        int n = infos.size();
        long[] flat = new long[n];
        long[] cum = new long[n];
        int[] seen = new int[n];
        Arrays.fill(seen, -1);
        Edges edges = withEdges ? new Edges() : null;
        for (int s = 0; s < values.length; s++) {
            long w = values[s];
            if (w == 0) {
                continue;
            }
            int[] f = frames[s];
            boolean[] inl = inlineCall[s];
            int parent = -1;
            boolean residual = false;
            for (int k = 0; k < f.length; k++) {
                int node = f[k];
                if (kept != null && !kept[node]) {
                    residual = true;
                    continue;
                }
                if (seen[node] != s) {
                    seen[node] = s;
                    cum[node] += w;
                }
                if (edges != null && parent >= 0 && node != parent) {
                    edges.add(parent, node, s, w, inl[k]);
                }
                parent = node;
                residual = false;
            }
            if (parent >= 0 && !residual) {
                flat[parent] += w;
            }
        }
        boolean[] inlineIn = new boolean[n];
        boolean[] notInlineIn = new boolean[n];
        if (edges != null) {
            for (int e = 0; e < edges.size; e++) {
                if (Math.abs(edges.weight[e]) < edgeCutoff) {
                    continue;
                }
                int dest = (int) edges.keys[edges.slotOf[e]];
                if (edges.inline[e]) {
                    inlineIn[dest] = true;
                } else {
                    notInlineIn[dest] = true;
                }
            }
        }
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if ((kept == null || kept[i]) && (flat[i] != 0 || cum[i] != 0)) {
                out.add(new Node(i, infos.get(i), flat[i], cum[i], inlineIn[i], notInlineIn[i]));
            }
        }
        return out;
    }

    /** Caller → callee edges in an open-addressing table (keys parent << 32 | child), without boxing. */
    private static final class Edges {
        long[] keys = new long[1024];
        int[] slots = new int[1024]; // slot -> edge index + 1 (0: empty)
        int[] slotOf = new int[512];
        long[] weight = new long[512];
        boolean[] inline = new boolean[512];
        int[] stamp = new int[512];
        int size;

        void add(int parent, int child, int sample, long w, boolean inl) {
            long key = ((long) parent << 32) | (child & 0xffffffffL);
            int mask = keys.length - 1;
            int slot = (int) (mix(key) & mask);
            while (slots[slot] != 0 && keys[slot] != key) {
                slot = (slot + 1) & mask;
            }
            int e;
            if (slots[slot] == 0) {
                if (size == weight.length) {
                    weight = Arrays.copyOf(weight, size * 2);
                    inline = Arrays.copyOf(inline, size * 2);
                    stamp = Arrays.copyOf(stamp, size * 2);
                    slotOf = Arrays.copyOf(slotOf, size * 2);
                }
                e = size++;
                keys[slot] = key;
                slots[slot] = e + 1;
                slotOf[e] = slot;
                inline[e] = true;
                stamp[e] = -1;
                if (size * 2 > keys.length) {
                    grow();
                }
            } else {
                e = slots[slot] - 1;
            }
            if (stamp[e] != sample) {
                stamp[e] = sample;
                weight[e] += w;
                if (!inl) {
                    inline[e] = false;
                }
            }
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldSlots = slots;
            keys = new long[oldKeys.length * 2];
            slots = new int[oldKeys.length * 2];
            int mask = keys.length - 1;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldSlots[i] != 0) {
                    int slot = (int) (mix(oldKeys[i]) & mask);
                    while (slots[slot] != 0) {
                        slot = (slot + 1) & mask;
                    }
                    keys[slot] = oldKeys[i];
                    slots[slot] = oldSlots[i];
                    slotOf[oldSlots[i] - 1] = slot;
                }
            }
        }

        private static long mix(long k) {
            k *= 0x9E3779B97F4A7C15L;
            return k ^ (k >>> 29);
        }
    }

    public int nodeIdCount() {
        return infos.size();
    }

    /** pprof's FlatNameOrder (top) and CumNameOrder (top -cum). */
    public static Comparator<Node> order(boolean cum) {
        Comparator<Node> byName = (l, r) -> compareNames(l.info, r.info);
        Comparator<Node> tie = (l, r) -> l.info.goString().compareTo(r.info.goString());
        if (cum) {
            return Comparator.<Node>comparingLong(x -> -Math.abs(x.cum)).thenComparing(byName)
                    .thenComparingLong(x -> -Math.abs(x.flat)).thenComparing(tie);
        }
        return Comparator.<Node>comparingLong(x -> -Math.abs(x.flat)).thenComparing(byName)
                .thenComparingLong(x -> -Math.abs(x.cum)).thenComparing(tie);
    }

    private static int compareNames(NodeInfo l, NodeInfo r) {
        if (l.equals(r)) {
            return 0;
        }
        return compareUtf8(l.printableName(), r.printableName());
    }

    /** Go compares strings byte-wise in UTF-8; UTF-16 order differs only above U+FFFF. */
    static int compareUtf8(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                boolean sx = Character.isSurrogate(x);
                boolean sy = Character.isSurrogate(y);
                if (sx != sy && (x >= 0xE000 || y >= 0xE000)) {
                    return sx ? 1 : -1;
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }

    /** pprof's drop_frames / keep_frames pruning ({@code Profile.RemoveUninteresting}). */
    private record Prune(Map<PprofProfile.Location, List<PprofProfile.Line>> trimmed,
                         Map<PprofProfile.Location, Boolean> beneath) {
        static final Prune NONE = new Prune(Map.of(), Map.of());

        static Prune of(PprofProfile p) {
            if (p.dropFrames().isEmpty()) {
                return NONE;
            }
            Pattern drop;
            Pattern keep = null;
            try {
                drop = Pattern.compile("^(" + p.dropFrames() + ")$");
                if (!p.keepFrames().isEmpty()) {
                    keep = Pattern.compile("^(" + p.keepFrames() + ")$");
                }
            } catch (PatternSyntaxException e) {
                return NONE; // pprof reports the error and carries on without pruning
            }
            Map<PprofProfile.Location, List<PprofProfile.Line>> trimmed = new IdentityHashMap<>();
            Map<PprofProfile.Location, Boolean> beneath = new IdentityHashMap<>();
            Map<String, Boolean> cache = new HashMap<>();
            for (PprofProfile.Location loc : p.locations()) {
                List<PprofProfile.Line> lines = loc.lines();
                int i;
                for (i = lines.size() - 1; i >= 0; i--) {
                    PprofProfile.Function fn = lines.get(i).function();
                    if (fn != null && !fn.name().isEmpty()) {
                        Pattern d = drop;
                        Pattern k = keep;
                        if (cache.computeIfAbsent(fn.name(), name -> {
                            String simple = simplify(name);
                            return d.matcher(simple).matches() && (k == null || !k.matcher(simple).matches());
                        })) {
                            break;
                        }
                    }
                }
                if (i >= 0) {
                    boolean whole = i == lines.size() - 1;
                    beneath.put(loc, whole);
                    if (!whole) {
                        trimmed.put(loc, lines.subList(i + 1, lines.size()));
                    }
                }
            }
            return new Prune(trimmed, beneath);
        }

        static String simplify(String f) {
            String name = f.startsWith(".") ? f.substring(1) : f;
            int from = 0;
            while (true) {
                int i = name.indexOf('(', from);
                if (i < 0) {
                    return name;
                }
                if (name.startsWith("(anonymous namespace)", i)) {
                    from = i + "(anonymous namespace)".length();
                } else if (i >= "operator".length() && name.startsWith("operator()", i - "operator".length())) {
                    from = i + 2;
                } else {
                    return name.substring(0, i);
                }
            }
        }

        List<PprofProfile.Line> lines(PprofProfile.Location l) {
            List<PprofProfile.Line> t = trimmed.get(l);
            return t != null ? t : l.lines();
        }

        PprofProfile.Location[] stack(PprofProfile.Location[] locs) {
            if (beneath.isEmpty()) {
                return locs;
            }
            boolean foundUser = false;
            for (int i = locs.length - 1; i >= 0; i--) {
                Boolean whole = beneath.get(locs[i]);
                if (whole == null) {
                    foundUser = true;
                    continue;
                }
                if (!foundUser) {
                    continue;
                }
                return whole ? Arrays.copyOfRange(locs, i + 1, locs.length) : Arrays.copyOfRange(locs, i, locs.length);
            }
            return locs;
        }
    }
}
