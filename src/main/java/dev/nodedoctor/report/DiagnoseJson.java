package dev.nodedoctor.report;

import dev.nodedoctor.diagnose.CausalLinks;
import dev.nodedoctor.diagnose.Finding;
import dev.nodedoctor.diagnose.Investigation;
import dev.nodedoctor.probe.HiccupReport;
import dev.nodedoctor.probe.TcpCounters;
import dev.nodedoctor.sample.CgroupFileReaders;

import java.util.List;

/** The `diagnose --json` document. Field names are part of the interface: add, never rename. */
public record DiagnoseJson(String root, String cgroups, double windowSeconds, HostSummary host,
                           int processes, int cgroupCount, List<Finding> findings, List<String> notes,
                           long selfCpuMillis, long selfRssKib, HiccupReport hiccup, TcpCounters tcp,
                           List<List<String>> chains, CgroupFileReaders.Report cgroupReaders) {

    public static DiagnoseJson of(Investigation.Result r) {
        return new DiagnoseJson(r.observations().root(), r.observations().layout().describe(), r.delta().seconds(),
                HostSummary.of(r.delta().host()), r.delta().processes().size(), r.delta().cgroups().size(),
                r.diagnosis().findings(), r.notes(), r.self().cpu().toMillis(), r.self().rssKib(),
                r.observations().hiccup().get().orElse(null), r.observations().tcp().get().orElse(null),
                CausalLinks.chains(r.diagnosis().findings()), r.observations().cgroupReaders().get().orElse(null));
    }
}
