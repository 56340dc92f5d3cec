package dev.nodedoctor.diagnose;

import dev.nodedoctor.sample.HostCpuDelta;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** {@code cpu.steal}: the hypervisor ran something else while this VM wanted to run. */
public final class StealRule extends HostCpuShareRule {
    public static final String ID = "cpu.steal";
    public static final Threshold ALL = new Threshold("cpu.steal.percent", 10,
            "steal (st) over all CPUs, percent",
            "nodedoctor: a tenth of this VM's CPU time lost to other guests");

    public StealRule(Thresholds t) {
        super(t);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    String column() {
        return "steal (st)";
    }

    @Override
    ToDoubleFunction<HostCpuDelta> share() {
        return HostCpuDelta::steal;
    }

    @Override
    Threshold allCpus() {
        return ALL;
    }

    @Override
    Threshold oneCpu() {
        return null;
    }

    @Override
    String title(double share) {
        return String.format(Locale.ROOT, "The hypervisor withheld %.0f%% of CPU time from this VM (steal)", share);
    }

    @Override
    String why() {
        return "Steal is time this virtual CPU was ready to run but the hypervisor ran another guest (or its own "
                + "work) on the physical CPU. Nothing inside this VM can fix it: everything here simply runs slower.";
    }

    @Override
    String fix() {
        return "Move to an instance type with dedicated CPUs, check for exhausted CPU credits on burstable "
                + "instance types, or ask the provider about noisy neighbours. Compare steal across nodes of the "
                + "same type.";
    }

    @Override
    List<String> refs() {
        return List.of("man 5 proc (/proc/stat steal)");
    }
}
