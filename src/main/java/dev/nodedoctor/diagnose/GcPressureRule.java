package dev.nodedoctor.diagnose;

import dev.nodedoctor.profile.ProfileSummary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code gc.pressure}: in a Go CPU profile, the garbage collector (mark workers, assists, scanning, sweeping,
 * allocation) takes a large share of the samples. Its cost follows the number of objects, not their bytes.
 */
public final class GcPressureRule extends ConfiguredRule {
    public static final String ID = "gc.pressure";

    public static final Threshold SHARE = new Threshold("gc.pressure.share", 0.25,
            "share of CPU profile samples with a garbage-collector or allocation frame",
            "Go runtime: the GC pacer aims its background mark workers at 25 % of GOMAXPROCS "
                    + "(gcBackgroundUtilization in runtime/mgcpacer.go); more means assists and allocation on top");
    public static final Threshold CRITICAL_SHARE = new Threshold("gc.pressure.critical-share", 0.5,
            "share of CPU samples in GC and allocation for critical",
            "nodedoctor: half of the CPU goes to memory management instead of the program");


    public GcPressureRule(Thresholds thresholds) {
        super(ID, thresholds);
    }


    @Override
    public List<Finding> evaluate(Observations obs) {
        List<Finding> out = new ArrayList<>();
        for (ProfileSummary p : obs.profiles().get().orElse(List.of())) {
            if (!p.cpu() || p.total() == 0 || p.gcShare() < value(SHARE)) {
                continue;
            }
            Severity sev = p.gcShare() >= value(CRITICAL_SHARE) ? Severity.CRITICAL : Severity.WARNING;
            List<Evidence> ev = new ArrayList<>();
            ev.add(Evidence.of("GC and allocation", 100 * p.gcShare(), "% of CPU samples", p.source()));
            for (ProfileSummary.Share s : p.gcTop()) {
                ev.add(Evidence.of(s.function() + " (cum)", 100 * s.share(), "%", p.source()));
            }
            String title = String.format(Locale.ROOT, "the Go garbage collector takes %.0f%% of the CPU profile",
                    100 * p.gcShare());
            String why = "The collector's work is marking: it visits every live object and every pointer "
                    + "(runtime.scanobject under gcBgMarkWorker / gcDrain), and allocation (mallocgc) pays assists "
                    + "when marking falls behind. That work grows with the NUMBER of objects and pointers, not with "
                    + "their bytes: a hundred million 64-byte objects cost far more than one 6 GB slice. Each GC "
                    + "cycle comes sooner the faster the program allocates (GOGC).";
            String fix = "Find who makes the objects: take a heap profile (`/debug/pprof/heap`) and run "
                    + "`nodedoctor pprof top --sample-index alloc_objects HEAP` (by count, not alloc_space). "
                    + "Then allocate fewer objects: reuse buffers (sync.Pool), decode into slices of values instead "
                    + "of pointers, stream instead of building big maps. As a stopgap raise GOGC or set GOMEMLIMIT "
                    + "so cycles come less often, if memory allows.";
            out.add(new Finding(ID, sev, "profile " + p.source(), title, ev, why, fix,
                    List.of("https://go.dev/doc/gc-guide", "go tool pprof -sample_index=alloc_objects"),
                    List.of(), p.gcShare()));
        }
        return out;
    }
}
