package dev.nodedoctor.sys;

/**
 * Turns the bytes of one kernel file into a record. The {@code data} array is a buffer owned by the
 * reader and reused for the next file: a parser must copy what it keeps, never the array itself.
 */
@FunctionalInterface
public interface Parser<T> {
    T parse(byte[] data, int length) throws MalformedException;

    /** The parser's view of bad content; {@link KernelFiles} adds the path. */
    final class MalformedException extends Exception {
        public MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    /** The file as text (UTF-8, invalid bytes replaced). */
    Parser<String> TEXT = (data, length) -> new String(data, 0, length, java.nio.charset.StandardCharsets.UTF_8);
}
