package dev.nodedoctor.diagnose;

import dev.nodedoctor.profile.ProfileSummary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code heap.small-objects}: in a Go heap profile the top allocator (by object count) made very many small
 * objects — the kind of heap that makes the garbage collector expensive.
 */
public final class HeapSmallObjectsRule extends ConfiguredRule {
    public static final String ID = "heap.small-objects";

    public static final Threshold MIN_OBJECTS = new Threshold("heap.small-objects.min-objects", 1_000_000,
            "objects allocated by the top allocator (alloc_objects, sampled and scaled by the runtime)",
            "nodedoctor: at tens of nanoseconds of marking per object, a million objects cost milliseconds of "
                    + "GC work per cycle, repeated every cycle");
    public static final Threshold MAX_BYTES = new Threshold("heap.small-objects.max-bytes", 256,
            "average size of those objects in bytes for them to count as small",
            "Go runtime size classes (runtime/sizeclasses.go): objects up to a few hundred bytes are packed "
                    + "many to a page, so count, not size, drives both allocation and marking cost");


    public HeapSmallObjectsRule(Thresholds thresholds) {
        super(ID, thresholds);
    }


    @Override
    public List<Finding> evaluate(Observations obs) {
        List<Finding> out = new ArrayList<>();
        for (ProfileSummary p : obs.profiles().get().orElse(List.of())) {
            ProfileSummary.Allocator a = p.topAllocator();
            if (!p.heap() || a == null || a.objects() < value(MIN_OBJECTS)
                    || a.bytesPerObject() > value(MAX_BYTES)) {
                continue;
            }
            List<Evidence> ev = new ArrayList<>();
            ev.add(Evidence.text("allocator", a.function(), p.source() + " (alloc_objects)"));
            ev.add(Evidence.of("objects", a.objects(), "", p.source() + " (alloc_objects)"));
            ev.add(Evidence.of("share of all objects", 100 * a.objectShare(), "%", p.source()));
            ev.add(Evidence.of("bytes", a.bytes(), "B", p.source() + " (alloc_space)"));
            ev.add(Evidence.of("size per object", a.bytesPerObject(), "B", p.source()));
            if (!a.stack().isEmpty()) {
                ev.add(Evidence.text("stack", String.join(" → ", a.stack()), p.source()));
            }
            String title = String.format(Locale.ROOT, "%s allocated %s objects of %.0f bytes each", a.function(),
                    Evidence.format(a.objects()), a.bytesPerObject());
            String why = "Each object is one unit of work for the Go garbage collector: it is allocated one by one "
                    + "(mallocgc), and every GC cycle marks each live one and scans its pointers. Many small objects "
                    + "— decoded JSON values, map entries, pointers to small structs — make GC CPU grow with their "
                    + "count while the bytes look harmless.";
            String fix = "Make fewer objects at this stack: decode into a slice of structs (values, not pointers), "
                    + "reuse buffers with sync.Pool, avoid interface{} / map[string]interface{} for bulk data, "
                    + "stream (json.Decoder.Token) instead of materialising everything. Check the effect with "
                    + "`nodedoctor pprof top --sample-index alloc_objects` before and after.";
            out.add(new Finding(ID, Severity.WARNING, "profile " + p.source(), title, ev, why, fix,
                    List.of("https://go.dev/doc/gc-guide", "runtime/sizeclasses.go"), List.of("gc.pressure"),
                    a.objectShare()));
        }
        return out;
    }
}
