package dev.nodedoctor.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * go tool pprof's {@code -focus} and {@code -ignore}: keep the samples that pass through a location matching
 * {@code focus} and through none matching {@code ignore}. A location matches when one of its functions' names or
 * source files, or its mapping's file, contains a match (pprof's {@code Location.matchesName}); with only
 * {@code ignore}, every other location counts as focused.
 *
 * @param focus  null for no focus
 * @param ignore null for nothing ignored
 */
public record SampleFilter(Pattern focus, Pattern ignore) {
    /** The kept samples, and whether each expression matched any location (pprof warns when one did not). */
    public record Result(PprofProfile profile, boolean focusMatched, boolean ignoreMatched) {
    }

    public boolean active() {
        return focus != null || ignore != null;
    }

    /** pprof's "Active filters:" lines, in its order. */
    public List<String> labels() {
        List<String> out = new ArrayList<>();
        if (focus != null) {
            out.add("focus=" + focus.pattern());
        }
        if (ignore != null) {
            out.add("ignore=" + ignore.pattern());
        }
        return out;
    }

    public Result apply(PprofProfile p) {
        // per location: 1 focused, -1 ignored, 0 neither
        int[] state = new int[p.locations().size()];
        boolean fm = false;
        boolean im = false;
        for (PprofProfile.Location l : p.locations()) {
            if (ignore != null && matches(l, ignore)) {
                im = true;
                state[l.index()] = -1;
            } else if (focus == null || matches(l, focus)) {
                fm = true;
                state[l.index()] = 1;
            }
        }
        List<PprofProfile.Sample> kept = new ArrayList<>();
        for (PprofProfile.Sample s : p.samples()) {
            boolean focused = false;
            boolean ignored = false;
            for (PprofProfile.Location l : s.locations()) {
                if (state[l.index()] < 0) {
                    ignored = true;
                    break;
                }
                focused |= state[l.index()] > 0;
            }
            if (focused && !ignored) {
                kept.add(s);
            }
        }
        return new Result(p.withSamples(kept), fm, im);
    }

    private static boolean matches(PprofProfile.Location l, Pattern re) {
        for (PprofProfile.Line line : l.lines()) {
            PprofProfile.Function f = line.function();
            if (f != null && (re.matcher(f.name()).find() || re.matcher(f.filename()).find())) {
                return true;
            }
        }
        return l.mapping() != null && re.matcher(l.mapping().file()).find();
    }
}
