package dev.nodedoctor.profile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * go tool pprof's {@code -diff_base}: the base profile's samples are added with their values negated and the
 * label {@code pprof::base}, so each function shows how much it grew (positive) or shrank (negative); the report's
 * total is then the base's, so percentages say "of what it was". The profiles must have the same sample and
 * period types. The header merges as pprof's Merge does: the earliest time, the summed durations, the longer
 * period, the comments of both.
 */
public final class DiffBase {
    /** The label pprof puts on the base's samples; {@link CallGraph#total} counts only them when present. */
    public static final String LABEL = "pprof::base";

    private DiffBase() {
    }

    /** {@code profile} minus {@code base}; IllegalArgumentException when their types differ. */
    public static PprofProfile of(PprofProfile profile, PprofProfile base) {
        if (!Objects.equals(profile.periodType(), base.periodType())) {
            throw new IllegalArgumentException("the base profile is not comparable: period type "
                    + text(base.periodType()) + ", not " + text(profile.periodType()));
        }
        if (!profile.sampleTypes().equals(base.sampleTypes())) {
            throw new IllegalArgumentException("the base profile is not comparable: sample types "
                    + base.sampleTypes().stream().map(DiffBase::text).toList() + ", not "
                    + profile.sampleTypes().stream().map(DiffBase::text).toList());
        }
        // the base's locations come after the profile's, renumbered: per-location tables are arrays by index
        int offset = profile.locations().size();
        List<PprofProfile.Location> locations = new ArrayList<>(profile.locations());
        PprofProfile.Location[] moved = new PprofProfile.Location[base.locations().size()];
        for (PprofProfile.Location l : base.locations()) {
            PprofProfile.Location m = new PprofProfile.Location(l.id(), l.index() + offset, l.mapping(), l.address(), l.lines());
            locations.add(m);
            moved[l.index()] = m;
        }
        List<PprofProfile.Sample> samples = new ArrayList<>(profile.samples());
        for (PprofProfile.Sample s : base.samples()) {
            PprofProfile.Location[] locs = new PprofProfile.Location[s.locations().length];
            for (int i = 0; i < locs.length; i++) {
                locs[i] = moved[s.locations()[i].index()];
            }
            long[] values = new long[s.values().length];
            for (int i = 0; i < values.length; i++) {
                values[i] = -s.values()[i];
            }
            Map<String, List<String>> labels = new HashMap<>(s.labels());
            labels.put(LABEL, List.of("true"));
            samples.add(new PprofProfile.Sample(locs, values, labels));
        }
        List<PprofProfile.Function> functions = new ArrayList<>(profile.functions());
        functions.addAll(base.functions());
        List<PprofProfile.Mapping> mappings = new ArrayList<>(profile.mappings());
        mappings.addAll(base.mappings());
        LinkedHashSet<String> comments = new LinkedHashSet<>(profile.comments());
        comments.addAll(base.comments());
        long time = profile.timeNanos() == 0 || (base.timeNanos() != 0 && base.timeNanos() < profile.timeNanos())
                ? base.timeNanos() : profile.timeNanos();
        return new PprofProfile(profile.sampleTypes(), samples, locations, functions, mappings, profile.dropFrames(),
                profile.keepFrames(), time, profile.durationNanos() + base.durationNanos(), profile.periodType(),
                Math.max(profile.period(), base.period()), List.copyOf(comments),
                profile.defaultSampleType().isEmpty() ? base.defaultSampleType() : profile.defaultSampleType(),
                profile.docUrl());
    }

    private static String text(PprofProfile.ValueType t) {
        return t == null ? "none" : t.type() + "/" + t.unit();
    }
}
