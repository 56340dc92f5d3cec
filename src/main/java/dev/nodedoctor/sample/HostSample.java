package dev.nodedoctor.sample;

import dev.nodedoctor.host.Interrupts;
import dev.nodedoctor.host.LoadAvg;
import dev.nodedoctor.host.Pressure;
import dev.nodedoctor.host.ProcStat;
import dev.nodedoctor.host.Softirqs;

/** Host-wide counters at one instant. Any part may be null when it could not be read (see the notes). */
public record HostSample(ProcStat stat, LoadAvg load, Pressure cpuPressure, Pressure memoryPressure,
                         Pressure ioPressure, Softirqs softirqs, Interrupts interrupts) {
}
