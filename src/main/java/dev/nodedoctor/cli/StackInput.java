package dev.nodedoctor.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Text stack inputs (perf script, folded) as byte streams: a file or "-" for stdin, gunzipped on the fly when
 * they start with the gzip magic, never read whole. Output goes byte for byte to a file or stdout.
 */
final class StackInput {
    private StackInput() {
    }

    static InputStream open(String source) throws IOException {
        InputStream raw;
        if (source == null || source.equals("-")) {
            raw = System.in;
        } else {
            Path p = Path.of(source);
            if (Files.isDirectory(p)) {
                throw new UserError(ExitCode.BAD_INPUT, source + ": is a directory");
            }
            raw = Files.newInputStream(p);
        }
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int a = in.read();
        int b = in.read();
        in.reset();
        if (a == 0x1f && b == 0x8b) {
            return new GzipErrors(new GZIPInputStream(in, 1 << 16), source);
        }
        return in;
    }

    /**
     * The file {@code source} names when it is a regular file not compressed with gzip (one that can be read in
     * parts, by position), else null: stdin, pipes, gzip and anything odd go through {@link #open}.
     */
    static Path plainFile(String source) throws IOException {
        if (source == null || source.equals("-")) {
            return null;
        }
        Path p = Path.of(source);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            return null; // open() gives the error
        }
        return gzipped(p) ? null : p;
    }

    /** Whether a file starts with the gzip magic (0x1f 0x8b). */
    static boolean gzipped(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** A file, or stdout (not closed) when {@code file} is null or "-". */
    static OutputStream output(Path file) throws IOException {
        if (file == null || file.toString().equals("-")) {
            return new FilterOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16)) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            };
        }
        return new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    }

    /** Turns gzip's EOF / format exceptions into one clear line. */
    private static final class GzipErrors extends InputStream {
        private final InputStream in;
        private final String source;

        GzipErrors(InputStream in, String source) {
            this.in = in;
            this.source = source;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (java.io.EOFException e) {
                throw new UserError(ExitCode.BAD_INPUT, source + ": truncated gzip stream (the input ends before the compressed data does)");
            } catch (java.util.zip.ZipException e) {
                throw new UserError(ExitCode.BAD_INPUT, source + ": corrupt gzip stream (" + e.getMessage() + ")");
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
