package dev.nodedoctor.sys;

/**
 * Sees every kernel file and directory that was read successfully. {@code nodedoctor capture} uses it to
 * write a support bundle of exactly what nodedoctor reads, no more.
 */
public interface ReadRecorder {
    void file(String path, byte[] content, int length);

    void directory(String path);
}
