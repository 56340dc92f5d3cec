package dev.nodedoctor.accesslog;

/** Parses one log line (bytes {@code [s, e)} of a buffer, no newline) into a reused record. */
public interface LineParser {
    /** False when the line is not of this format; {@link #error()} then says why. */
    boolean parse(byte[] b, int s, int e, AccessRecord r);

    String error();
}
