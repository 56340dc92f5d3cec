package dev.nodedoctor.bench;

import dev.nodedoctor.cgroup.CgroupLayout;
import dev.nodedoctor.kube.KubeCgroup;
import dev.nodedoctor.kube.PodRef;
import dev.nodedoctor.report.HostSummary;
import dev.nodedoctor.report.Json;
import dev.nodedoctor.report.TopTable;
import dev.nodedoctor.sample.CgroupDelta;
import dev.nodedoctor.sample.Delta;
import dev.nodedoctor.sample.Sampler;
import dev.nodedoctor.sample.Snapshot;
import dev.nodedoctor.sys.KernelFiles;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The rest of one `top` refresh after the sampling pass: {@link Delta#between} of two snapshots, and that
 * plus building and writing the JSON frame (20 rows each, as `top --json` with the default --limit, every
 * cgroup counted as a candidate row as with --all). The snapshots are taken once, in the set-up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms16m", "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-Xss512k", "-XX:+PerfDisableSharedMem"})
public class DeltaBenchmark {

    @Param({"live", "synthetic"})
    public String tree;

    @Param({"2000"})
    public int synthProcesses;

    @Param({"1000"})
    public int synthCgroups;

    @Param({"/tmp/nodedoctor-synthetic"})
    public String synthDir;

    private Snapshot before;
    private Snapshot after;

    @Setup(Level.Trial)
    public void setUp() throws IOException, InterruptedException {
        try (KernelFiles files = SamplingPassBenchmark.open(tree, synthDir, synthProcesses, synthCgroups)) {
            Sampler sampler = new Sampler(files, CgroupLayout.discover(files), Sampler.Options.ALL);
            before = sampler.snapshot();
            Thread.sleep(1000);
            after = sampler.snapshot();
        }
    }

    @Benchmark
    public Delta delta() {
        return Delta.between(before, after);
    }

    @Benchmark
    public String deltaAndJsonFrame() {
        Delta d = Delta.between(before, after);
        List<TopTable.Row> rows = new ArrayList<>();
        for (CgroupDelta g : d.cgroups()) {
            rows.add(TopTable.row(g, path -> KubeCgroup.parse(path).map(PodRef::shortName).orElse(null)));
        }
        List<?> procs = d.processes();
        return Json.line(new TopTable.Frame(d.after().time().toString(), d.seconds(), HostSummary.of(d.host()),
                d.processes().subList(0, Math.min(20, procs.size())), rows.subList(0, Math.min(20, rows.size()))));
    }
}
