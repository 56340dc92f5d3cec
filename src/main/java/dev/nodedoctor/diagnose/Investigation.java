package dev.nodedoctor.diagnose;

import dev.nodedoctor.capture.CapturedWindow;
import dev.nodedoctor.cgroup.CgroupLayout;
import dev.nodedoctor.sample.Delta;
import dev.nodedoctor.sample.Sampler;
import dev.nodedoctor.sample.Snapshot;
import dev.nodedoctor.sys.KernelFiles;

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
    public record Result(Diagnosis diagnosis, Observations observations, Delta delta, List<String> notes) {
    }

    private Investigation() {
    }


    public static Result run(KernelFiles files, Duration window, Thresholds thresholds) throws InterruptedException {
        return run(files, window, thresholds, List.of());
    }

    /** As {@link #run(KernelFiles, Duration, Thresholds)}, judging also the given pprof profile summaries. */
    public static Result run(KernelFiles files, Duration window, Thresholds thresholds,
                             List<dev.nodedoctor.profile.ProfileSummary> profiles) throws InterruptedException {
        CgroupLayout layout = CgroupLayout.discover(files);
        Sampler sampler = new Sampler(files, layout, Sampler.Options.ALL);
        Optional<Snapshot[]> captured = CapturedWindow.snapshots(files, sampler, Sampler.Options.ALL);
        Snapshot first;
        Snapshot second;
        if (captured.isPresent()) {
            first = captured.get()[0];
            second = captured.get()[1];
        } else {
            first = sampler.snapshot();
            if (files.isLive()) {
                Thread.sleep(window.toMillis());
            }
            second = sampler.snapshot();
        }
        Delta delta = Delta.between(first, second);
        List<String> notes = new ArrayList<>(layout.notes());
        notes.addAll(delta.notes());
        if (!files.isLive() && captured.isEmpty()) {
            notes.add("this tree holds one moment, so there are no rates (CPU %, throttling): capture with "
                    + "`nodedoctor capture --duration 2s` or run on the live node");
        }
        Observations obs = new Observations(Part.of(delta), layout, files.slowReads(), files.root().toString(),
                profiles.isEmpty() ? Part.absent("not gathered (give --profile FILE)") : Part.of(profiles));
        Diagnosis diagnosis = RuleCatalogue.evaluate(RuleCatalogue.all(thresholds), obs);
        notes.addAll(diagnosis.notes());
        return new Result(diagnosis, obs, delta, List.copyOf(notes));
    }
}
