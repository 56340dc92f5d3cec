package dev.nodedoctor.sample;

import dev.nodedoctor.host.LoadAvg;
import dev.nodedoctor.host.Pressure;

import java.util.List;

/**
 * Host CPU over an interval. {@code cpuPressureSome} is the share of wall time some task waited for a CPU,
 * computed from the PSI total counter over this interval (not the kernel's 10 s average), or -1.
 */
public record HostDelta(HostCpuDelta all, List<HostCpuDelta> perCpu, int cpus, double contextSwitchesPerSecond,
                        long running, long blocked, LoadAvg load, Pressure cpuPressure, double cpuPressureSome,
                        double memoryPressureSome, double ioPressureSome) {
}
