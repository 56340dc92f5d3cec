package dev.nodedoctor.diagnose;

import java.util.List;

/**
 * One known failure pattern. A rule is a pure function of the observations: it reads no files, keeps no
 * state, and returns nothing when its evidence is absent. One finding id ↔ one rule ↔ one page in
 * docs/findings/&lt;id&gt;.md.
 */
public interface Rule {
    /** The finding id this rule produces, e.g. {@code cpu.throttled}. */
    String id();

    List<Finding> evaluate(Observations observations);
}
