package dev.nodedoctor.diagnose;

import dev.nodedoctor.sample.HostCpuDelta;

import java.util.List;

/** {@code cpu.softirq}: deferred interrupt work (network, timers, block completions) takes much CPU. */
public final class SoftirqRule extends HostCpuShareRule {
    public static final String ID = "cpu.softirq";
    public static final Threshold ALL = new Threshold("cpu.softirq.percent", 10,
            "softirq (si) over all CPUs, percent", "nodedoctor: ten times a quiet node's share");
    public static final Threshold ONE = new Threshold("cpu.softirq.one-cpu-percent", 30,
            "softirq (si) on any single CPU, percent",
            "nodedoctor: one CPU a third busy with softirqs is the classic single-queue NIC pattern");

    public SoftirqRule(Thresholds t) {
        super(t, new Spec(ID, "softirq (si)", HostCpuDelta::softirq, ALL, ONE,
                "Softirq processing uses %.0f%% of the CPU",
                "Softirqs are the second half of interrupt handling: receiving and sending network packets "
                    + "(NET_RX, NET_TX), timers, block I/O completions, RCU callbacks. When they pile up on one CPU "
                    + "(one NIC queue, no RPS), that CPU is saturated while the others idle, and packets queue "
                    + "or drop.",
                "See which softirq grows on which CPU in /proc/softirqs and which IRQs in /proc/interrupts. Spread "
                    + "network receive over CPUs (more NIC queues, RSS/RPS, irqbalance), and check for a packet "
                    + "flood (ksoftirqd/N at high CPU in top is the sign).",
                List.of("https://docs.kernel.org/networking/scaling.html")));
    }
}
