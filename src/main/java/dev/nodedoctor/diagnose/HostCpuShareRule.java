package dev.nodedoctor.diagnose;

import dev.nodedoctor.sample.Delta;
import dev.nodedoctor.sample.HostCpuDelta;
import dev.nodedoctor.sample.ProcessDelta;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The shape shared by the host-wide CPU-state rules ({@code cpu.system-time}, {@code cpu.iowait},
 * {@code cpu.softirq}, {@code cpu.steal}): one column of /proc/stat above its normal range, over all CPUs
 * or concentrated on one CPU. Each subclass supplies the column, the thresholds and the words.
 */
abstract class HostCpuShareRule extends ConfiguredRule {

    /**
     * What one CPU state rule is made of.
     *
     * @param column      the /proc/stat column as top prints it: "system (sy)"
     * @param allCpus     threshold over all CPUs, percent
     * @param oneCpu      threshold on any single CPU, percent; null if only the total matters
     * @param titleFormat the title with one %.0f for the share
     */
    record Spec(String id, String column, ToDoubleFunction<HostCpuDelta> share, Threshold allCpus, Threshold oneCpu,
                String titleFormat, String why, String fix, List<String> refs) {
    }

    private final Spec spec;

    HostCpuShareRule(Thresholds thresholds, Spec spec) {
        super(spec.id(), thresholds);
        this.spec = spec;
    }

    /** Extra evidence specific to the state (the processes with most system time, blocked tasks...). */
    void addEvidence(Delta d, List<Evidence> evidence) {
    }

    @Override
    public List<Finding> evaluate(Observations obs) {
        Delta d = obs.cpu().get().orElse(null);
        if (d == null || d.host() == null) {
            return List.of();
        }
        ToDoubleFunction<HostCpuDelta> f = spec.share();
        double all = f.applyAsDouble(d.host().all());
        HostCpuDelta worst = null;
        for (HostCpuDelta c : d.host().perCpu()) {
            if (worst == null || f.applyAsDouble(c) > f.applyAsDouble(worst)) {
                worst = c;
            }
        }
        double worstShare = worst == null ? 0 : f.applyAsDouble(worst);
        double limitAll = value(spec.allCpus());
        Threshold one = spec.oneCpu();
        boolean overall = all >= limitAll;
        boolean concentrated = one != null && worst != null && d.host().cpus() > 1 && worstShare >= value(one);
        if (!overall && !concentrated) {
            return List.of();
        }
        List<Evidence> ev = new ArrayList<>();
        ev.add(Evidence.of(spec.column() + " over all " + d.host().cpus() + " CPUs", all, "%", "/proc/stat (cpu)"));
        if (worst != null) {
            ev.add(Evidence.of(spec.column() + " on " + worst.cpu(), worstShare, "%", "/proc/stat (" + worst.cpu() + ")"));
        }
        ev.add(Evidence.of("busy over all CPUs", d.host().all().busy(), "%", "/proc/stat (cpu)"));
        addEvidence(d, ev);
        String title = overall ? String.format(Locale.ROOT, spec.titleFormat(), all)
                : String.format(Locale.ROOT, spec.titleFormat(), worstShare) + String.format(Locale.ROOT, " on %s (%.0f%% over all CPUs)", worst.cpu(), all);
        Severity sev = overall && all >= 2 * limitAll ? Severity.CRITICAL : Severity.WARNING;
        return List.of(new Finding(id(), sev, Subjects.HOST, title, ev, spec.why(), spec.fix(), spec.refs(), List.of(),
                Math.max(all, worstShare) / 100));
    }

    /** The processes with most of their CPU in the kernel, for system-time findings. */
    static void topSystemTime(Delta d, List<Evidence> ev) {
        List<ProcessDelta> procs = new ArrayList<>(d.processes());
        procs.sort((a, b) -> Double.compare(b.systemPercent(), a.systemPercent()));
        for (int i = 0; i < Math.min(3, procs.size()); i++) {
            ProcessDelta p = procs.get(i);
            if (p.systemPercent() < 1) {
                break;
            }
            ev.add(Evidence.of("system time of " + Subjects.process(p.pid(), p.name()), p.systemPercent(),
                    "% of a core", Sources.process(p.pid(), "stat")));
        }
    }
}
