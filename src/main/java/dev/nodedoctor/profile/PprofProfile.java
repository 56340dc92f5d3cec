package dev.nodedoctor.profile;

import java.util.List;
import java.util.Map;

/**
 * A decoded pprof profile (profile.proto) with its string-table indices resolved, in the shape pprof's own Go
 * package gives it: samples point at locations, locations hold lines (innermost inlined function first), lines
 * point at functions.
 */
public record PprofProfile(List<ValueType> sampleTypes, List<Sample> samples, List<Location> locations,
                           List<Function> functions, List<Mapping> mappings, String dropFrames, String keepFrames,
                           long timeNanos, long durationNanos, ValueType periodType, long period,
                           List<String> comments, String defaultSampleType, String docUrl) {

    /** The same profile with other samples (a filtered subset): locations, functions and labels are shared. */
    public PprofProfile withSamples(List<Sample> kept) {
        return new PprofProfile(sampleTypes, kept, locations, functions, mappings, dropFrames, keepFrames, timeNanos,
                durationNanos, periodType, period, comments, defaultSampleType, docUrl);
    }

    public record ValueType(String type, String unit) {
    }

    /** One stack: {@code locations[0]} is the leaf (where the time was spent), the last is the root. */
    public record Sample(Location[] locations, long[] values, Map<String, List<String>> labels) {
    }

    public record Mapping(long id, String file, String buildId) {
    }

    /**
     * A program counter; {@code lines} has one entry per inlined call at it, innermost first. {@code index} is
     * its position in {@link #locations()}, so that per-location tables can be arrays.
     */
    public record Location(long id, int index, Mapping mapping, long address, List<Line> lines) {
    }

    public record Line(Function function, long line) {
    }

    public record Function(long id, String name, String systemName, String filename, long startLine) {
    }

    /**
     * The index of the sample type {@code name} (a type such as {@code alloc_objects} or a number), or of the
     * default type when {@code name} is null: {@code default_sample_type} if set, else the last type — the rule
     * pprof's {@code SampleIndexByName} follows, including its {@code inuse_} alias for legacy profiles.
     */
    public int sampleIndex(String name) {
        if (name == null || name.isEmpty()) {
            if (!defaultSampleType.isEmpty()) {
                for (int i = 0; i < sampleTypes.size(); i++) {
                    if (sampleTypes.get(i).type().equals(defaultSampleType)) {
                        return i;
                    }
                }
            }
            return sampleTypes.size() - 1;
        }
        if (name.matches("-?\\d{1,9}")) {
            int i = Integer.parseInt(name);
            if (i < 0 || i >= sampleTypes.size()) {
                throw new IllegalArgumentException("sample index " + name + " is outside the range [0.."
                        + (sampleTypes.size() - 1) + "]");
            }
            return i;
        }
        String noInuse = name.startsWith("inuse_") ? name.substring("inuse_".length()) : name;
        for (int i = 0; i < sampleTypes.size(); i++) {
            String t = sampleTypes.get(i).type();
            if (t.equals(name) || t.equals(noInuse)) {
                return i;
            }
        }
        throw new IllegalArgumentException("sample index '" + name + "' must be one of: " + String.join(", ",
                sampleTypes.stream().map(ValueType::type).toList()));
    }
}
