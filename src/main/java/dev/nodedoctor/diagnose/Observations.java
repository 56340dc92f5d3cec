package dev.nodedoctor.diagnose;

import dev.nodedoctor.cgroup.CgroupLayout;
import dev.nodedoctor.profile.ProfileSummary;
import dev.nodedoctor.sample.Delta;
import dev.nodedoctor.sys.ReadTiming;

import java.util.List;

/**
 * Everything one run gathered, for the rules to judge. Rules never read files: they read this, so each is
 * a pure function tested on captured data. New kinds of evidence (kernel log, profiles, traces) are added
 * here as further {@link Part}s.
 *
 * @param cpu       host, process and cgroup rates over the sampling window
 * @param slowReads kernel files that were slow to read or timed out during the run
 * @param root      the tree that was read ("/" for this machine), for the sources in evidence
 * @param profiles  summaries of the pprof profiles given with --profile (absent when none was given)
 */
public record Observations(Part<Delta> cpu, CgroupLayout layout, List<ReadTiming> slowReads, String root,
                           Part<List<ProfileSummary>> profiles) {

    public Observations {
        slowReads = List.copyOf(slowReads);
    }

    /** Observations of profiles alone (`pprof top` judges the profile it prints). */
    public static Observations ofProfiles(List<ProfileSummary> profiles) {
        return new Observations(Part.absent("not gathered: profiles only"), null, List.of(), "/", Part.of(List.copyOf(profiles)));
    }
}
