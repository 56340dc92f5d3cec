package dev.nodedoctor.diagnose;

import dev.nodedoctor.cgroup.CgroupPaths;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * A pod and its container often carry the same limit and are flagged together; the finding belongs to the
 * container. This keeps, of the flagged cgroups, those with no flagged descendant of an equal or smaller limit.
 */
final class Hierarchy {
    private Hierarchy() {
    }

    static <T> List<T> deepest(List<T> flagged, Function<T, String> path, ToDoubleFunction<T> limit) {
        List<T> out = new ArrayList<>();
        for (T parent : flagged) {
            boolean covered = false;
            for (T child : flagged) {
                if (child != parent && CgroupPaths.isBelow(path.apply(child), path.apply(parent))
                        && limit.applyAsDouble(child) <= limit.applyAsDouble(parent)) {
                    covered = true;
                    break;
                }
            }
            if (!covered) {
                out.add(parent);
            }
        }
        return out;
    }
}
