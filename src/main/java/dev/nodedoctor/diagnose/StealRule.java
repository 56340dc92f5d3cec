package dev.nodedoctor.diagnose;

import dev.nodedoctor.sample.HostCpuDelta;

import java.util.List;

/** {@code cpu.steal}: the hypervisor ran something else while this VM wanted to run. */
public final class StealRule extends HostCpuShareRule {
    public static final String ID = "cpu.steal";
    public static final Threshold ALL = new Threshold("cpu.steal.percent", 10,
            "steal (st) over all CPUs, percent",
            "nodedoctor: a tenth of this VM's CPU time lost to other guests");

    public StealRule(Thresholds t) {
        super(t, new Spec(ID, "steal (st)", HostCpuDelta::steal, ALL, null,
                "The hypervisor withheld %.0f%% of CPU time from this VM (steal)",
                "Steal is time this virtual CPU was ready to run but the hypervisor ran another guest (or its own "
                    + "work) on the physical CPU. Nothing inside this VM can fix it: everything here simply runs slower.",
                "Move to an instance type with dedicated CPUs, check for exhausted CPU credits on burstable "
                    + "instance types, or ask the provider about noisy neighbours. Compare steal across nodes of the "
                    + "same type.",
                List.of("man 5 proc (/proc/stat steal)")));
    }
}
