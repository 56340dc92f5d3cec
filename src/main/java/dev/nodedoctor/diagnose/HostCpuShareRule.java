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
abstract class HostCpuShareRule implements Rule {
    private final Thresholds thresholds;

    HostCpuShareRule(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    /** The /proc/stat column name as top prints it (sy, wa, si, st). */
    abstract String column();

    abstract ToDoubleFunction<HostCpuDelta> share();

    /** Over all CPUs, in percent. */
    abstract Threshold allCpus();

    /** On any single CPU, in percent; null if only the total matters. */
    abstract Threshold oneCpu();

    abstract String title(double share);

    abstract String why();

    abstract String fix();

    abstract List<String> refs();

    /** Extra evidence specific to the state (the processes with most system time, blocked tasks...). */
    void addEvidence(Delta d, List<Evidence> evidence) {
    }

    @Override
    public List<Finding> evaluate(Observations obs) {
        Delta d = obs.cpu().get().orElse(null);
        if (d == null || d.host() == null) {
            return List.of();
        }
        ToDoubleFunction<HostCpuDelta> f = share();
        double all = f.applyAsDouble(d.host().all());
        HostCpuDelta worst = null;
        for (HostCpuDelta c : d.host().perCpu()) {
            if (worst == null || f.applyAsDouble(c) > f.applyAsDouble(worst)) {
                worst = c;
            }
        }
        double worstShare = worst == null ? 0 : f.applyAsDouble(worst);
        double limitAll = thresholds.get(allCpus());
        Threshold one = oneCpu();
        boolean overall = all >= limitAll;
        boolean concentrated = one != null && worst != null && d.host().cpus() > 1 && worstShare >= thresholds.get(one);
        if (!overall && !concentrated) {
            return List.of();
        }
        List<Evidence> ev = new ArrayList<>();
        ev.add(Evidence.of(column() + " over all " + d.host().cpus() + " CPUs", all, "%", "/proc/stat (cpu)"));
        if (worst != null) {
            ev.add(Evidence.of(column() + " on " + worst.cpu(), worstShare, "%", "/proc/stat (" + worst.cpu() + ")"));
        }
        ev.add(Evidence.of("busy over all CPUs", d.host().all().busy(), "%", "/proc/stat (cpu)"));
        addEvidence(d, ev);
        String title = overall ? title(all)
                : title(worstShare) + String.format(Locale.ROOT, " on %s (%.0f%% over all CPUs)", worst.cpu(), all);
        Severity sev = overall && all >= 2 * limitAll ? Severity.CRITICAL : Severity.WARNING;
        return List.of(new Finding(id(), sev, Subjects.HOST, title, ev, why(), fix(), refs(), List.of(),
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
