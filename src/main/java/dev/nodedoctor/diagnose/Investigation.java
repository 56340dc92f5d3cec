package dev.nodedoctor.diagnose;

import dev.nodedoctor.capture.CapturedWindow;
import dev.nodedoctor.cgroup.CgroupLayout;
import dev.nodedoctor.kernel.KernelEventRules;
import dev.nodedoctor.kernel.KernelLogScan;
import dev.nodedoctor.kernel.KmsgReader;
import dev.nodedoctor.sys.KernelFileException;
import dev.nodedoctor.host.NetSnmp;
import dev.nodedoctor.probe.HiccupMeter;
import dev.nodedoctor.sample.CgroupFileReaders;
import dev.nodedoctor.probe.HiccupReport;
import dev.nodedoctor.probe.TcpCounters;
import dev.nodedoctor.sys.KernelFileException;
import dev.nodedoctor.sample.Delta;
import dev.nodedoctor.sample.Sampler;
import dev.nodedoctor.sample.SelfCost;
import dev.nodedoctor.sample.Snapshot;
import dev.nodedoctor.sys.KernelFiles;
import dev.nodedoctor.trace.TraceSummary;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One `diagnose` run: sample the node twice over a window, build the observations, run every rule.
 * On a captured tree (not live) both snapshots read the same files, so rates are zero: the report says so.
 */
public final class Investigation {

    /** What the report needs: the verdict, the window it is based on and what could not be looked at. */
    /**
     * @param rates false when the tree held one moment: no CPU %, throttling or other rates
     * @param self  what this run cost nodedoctor itself (CPU since start, RSS at the end)
     */
    public record Result(Diagnosis diagnosis, Observations observations, Delta delta, List<String> notes, boolean rates,
                         SelfCost self) {
    }

    private Investigation() {
    }

    /** /dev/kmsg live, or a capture's copy of it; absent with the reason (no CAP_SYSLOG, not captured). */
    static Part<KernelLogScan> readKernelLog(KernelFiles files) {
        if (!files.isLive() && !files.exists(KmsgReader.PATH)) {
            return Part.absent("the tree holds no copy of " + KmsgReader.PATH);
        }
        try {
            return Part.of(KernelLogScan.of(new KmsgReader(files).read(), KernelEventRules.builtIn()));
        } catch (KernelFileException e) {
            return Part.absent(e.getMessage());
        }
    }


    /** Evidence gathered alongside the sampling window (a strace of one process), awaited after it. */
    public interface Gathering<T> {
        Part<T> await() throws InterruptedException;
    }

    public static Result run(KernelFiles files, Duration window, Thresholds thresholds) throws InterruptedException {
        return run(files, window, thresholds, () -> Part.absent(Observations.TRACE_NOT_GATHERED), List.of());
    }

    /** @param trace started by the caller before this call, so it covers the same window as the samples */
    public static Result run(KernelFiles files, Duration window, Thresholds thresholds, Gathering<TraceSummary> trace)
            throws InterruptedException {
        return run(files, window, thresholds, trace, List.of());
    }

    /** As {@link #run(KernelFiles, Duration, Thresholds)}, judging also the given pprof profile summaries. */
    public static Result run(KernelFiles files, Duration window, Thresholds thresholds,
                             List<dev.nodedoctor.profile.ProfileSummary> profiles) throws InterruptedException {
        return run(files, window, thresholds, () -> Part.absent(Observations.TRACE_NOT_GATHERED), profiles);
    }

    /**
     * @param trace    started by the caller before this call, so it covers the same window as the samples
     * @param profiles pprof profile summaries to judge with the rest (empty: none given)
     */
    public static Result run(KernelFiles files, Duration window, Thresholds thresholds, Gathering<TraceSummary> trace,
                             List<dev.nodedoctor.profile.ProfileSummary> profiles) throws InterruptedException {
        CgroupLayout layout = CgroupLayout.discover(files);
        Sampler sampler = new Sampler(files, layout, Sampler.Options.ALL);
        Optional<Snapshot[]> captured = CapturedWindow.snapshots(files, sampler, Sampler.Options.ALL);
        Snapshot first;
        Snapshot second;
        Part<HiccupReport> hiccup;
        Part<TcpCounters> tcp;
        Part<CgroupFileReaders.Report> readers = Part.absent("cgroup file readers are sampled only on the live node");
        if (captured.isPresent()) {
            first = captured.get()[0];
            second = captured.get()[1];
            hiccup = Part.absent("the hiccup meter runs only on the live node");
            tcp = capturedTcp(files, (second.monotonicNanos() - first.monotonicNanos()) / 1e9);
        } else {
            // the meter runs over the whole window, sampling included: stalls of the node while we read it count
            HiccupMeter meter = files.isLive() ? HiccupMeter.start(HiccupMeter.DEFAULT_INTERVAL) : null;
            Part<NetSnmp> tcpBefore = tcpCounters(files);
            try {
                // memory is judged at the end of the window: the first snapshot skips the memory.stat reads
                first = sampler.snapshot(!files.isLive() || window.isZero());
                if (files.isLive() && !window.isZero()) {
                    // the window is spent watching who holds cgroup files open: the periodic stat reader
                    readers = Part.of(CgroupFileReaders.sample(files, CgroupFileReaders.mountPrefixes(layout), first,
                            window, CgroupFileReaders.DEFAULT_PERIOD));
                }
                second = sampler.snapshot();
            } finally {
                hiccup = meter == null ? Part.absent("the hiccup meter runs only on the live node") : Part.of(meter.stop());
            }
            tcp = tcpBetween(tcpBefore, tcpCounters(files), (second.monotonicNanos() - first.monotonicNanos()) / 1e9,
                    files.isLive());
        }
        Delta delta = Delta.between(first, second);
        List<String> notes = new ArrayList<>(layout.notes());
        notes.addAll(delta.notes());
        if (!files.isLive() && captured.isEmpty()) {
            notes.add("this tree holds one moment, so there are no rates (CPU %, throttling): capture with "
                    + "`nodedoctor capture --duration 2s` or run on the live node");
        }
        Part<TraceSummary> traced = trace.await();
        Observations.Builder b = Observations.builder().cpu(Part.of(delta)).layout(layout)
                .slowReads(files.slowReads()).root(files.root().toString()).trace(traced)
                .hiccup(hiccup).tcp(tcp).kernelLog(readKernelLog(files)).cgroupReaders(readers)
                .profiles(profiles.isEmpty() ? Part.absent("not gathered (give --profile FILE)") : Part.of(List.copyOf(profiles)));
        if (second.memory() != null) {
            b.memory(Part.of(second.memory()));
        }
        Observations obs = b.build();
        if (obs.kernelLog() instanceof Part.Absent<KernelLogScan> absent && files.isLive()) {
            notes.add("kernel log not read (OOM reports, hung tasks): " + absent.why());
        }
        traced.get().ifPresent(t -> t.notes().forEach(n -> notes.add("strace: " + n)));
        Diagnosis diagnosis = RuleCatalogue.evaluate(RuleCatalogue.all(thresholds), obs);
        notes.addAll(diagnosis.notes());
        SelfCost self;
        try (KernelFiles live = KernelFiles.live()) {
            self = SelfCost.now(live);
        }
        return new Result(diagnosis, obs, delta, List.copyOf(notes), files.isLive() || captured.isPresent(), self);
    }

    private static Part<NetSnmp> tcpCounters(KernelFiles files) {
        try {
            return Part.of(TcpCounters.read(files));
        } catch (KernelFileException e) {
            return Part.absent(e.getMessage());
        }
    }

    private static Part<TcpCounters> tcpBetween(Part<NetSnmp> before, Part<NetSnmp> after, double seconds, boolean live) {
        if (before instanceof Part.Absent<NetSnmp> a) {
            return Part.absent(a.why());
        }
        if (after instanceof Part.Absent<NetSnmp> a) {
            return Part.absent(a.why());
        }
        if (!live) {
            return Part.absent("TCP counters need two moments; this tree holds one");
        }
        return Part.of(TcpCounters.between(before.get().orElseThrow(), after.get().orElseThrow(), seconds));
    }

    /** A capture taken by a nodedoctor that also kept the TCP counters in its earlier moment gives their rates. */
    private static Part<TcpCounters> capturedTcp(KernelFiles files, double seconds) {
        Optional<CapturedWindow> window = CapturedWindow.of(files.root());
        if (window.isEmpty()) {
            return Part.absent("TCP counters need two moments; this tree holds one");
        }
        try (KernelFiles before = KernelFiles.at(window.get().before(), files.deadline())) {
            return tcpBetween(tcpCounters(before), tcpCounters(files), seconds, true);
        }
    }
}
