package dev.nodedoctor.profile;

/** Input that is not a readable profile or stack file: the message says what is wrong, in one line. */
public class ProfileFormatException extends Exception {
    public ProfileFormatException(String message) {
        super(message);
    }

    public ProfileFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
