package dev.nodedoctor.cli;

/** An error to show as one line, with its exit code; never a stack trace unless --debug. */
public final class UserError extends RuntimeException {
    private final int exitCode;

    public UserError(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
