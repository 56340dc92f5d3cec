package dev.nodedoctor.cli;

/** The documented exit codes (README "Exit codes"). */
public final class ExitCode {
    public static final int OK = 0;
    /** Findings at or above --fail-on. */
    public static final int FINDINGS = 1;
    public static final int USAGE = 2;
    /** Input that cannot be read or is not what it should be (missing file, not a Linux tree, corrupt bundle). */
    public static final int BAD_INPUT = 3;
    public static final int PERMISSION = 4;

    private ExitCode() {
    }
}
