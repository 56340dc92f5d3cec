package dev.nodedoctor.diagnose;

import java.util.Locale;

/** How urgent a finding is. Ordered: a higher ordinal is more severe. */
public enum Severity {
    INFO, WARNING, CRITICAL;

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    /** Accepts "warning", "WARN", "crit", ... as a user would type them. */
    public static Severity parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        for (Severity s : values()) {
            if (s.name().startsWith(t) && t.length() >= 4 || s.name().equals(t)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown severity '" + text + "': expected info, warning or critical");
    }
}
