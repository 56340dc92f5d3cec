package dev.nodedoctor.trace;

/** Why a live trace could not run: each kind has its own exit code and advice in the CLI. */
public final class TraceException extends Exception {
    public enum Kind {
        /** strace is not installed (or the given path is not executable). */
        MISSING,
        /** the process does not exist (or exited before strace attached). */
        NO_PROCESS,
        /** ptrace was refused: Yama ptrace_scope, no CAP_SYS_PTRACE, another tracer, a container profile. */
        PERMISSION,
        /** strace failed otherwise; the message carries its own words. */
        FAILED
    }

    private final Kind kind;

    public TraceException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
