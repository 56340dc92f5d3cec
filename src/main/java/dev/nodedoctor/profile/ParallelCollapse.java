package dev.nodedoctor.profile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Collapses a large perf script file on several threads, with the same output and warnings as one pass of
 * {@link PerfCollapse}. The file is cut into parts at blank lines: a blank line ends a sample and leaves the
 * script with no state but the event type it keeps, so each part is parsed on its own and the parts' sums are
 * added. The kept event type is the first one the file names; it is read from the file's head before the parts
 * start, and a part that guessed another one (its head named none) is parsed again. Each part keeps its notes
 * (unrecognised lines, event filtering), replayed in file order.
 *
 * <p>Why: collapse is a pipeline step over files of hundreds of MB to GB, and one core parses ~700 MB/s; a machine
 * with more cores should not wait on one.
 */
public final class ParallelCollapse {
    /** A part is at least this large: below, a thread costs more than it saves. */
    static final long MIN_PART = 32L << 20;
    /** The head of the file searched for the first event type. */
    private static final int HEAD = 1 << 20;
    private static final int WINDOW = 1 << 16;

    private ParallelCollapse() {
    }

    /** Collapses {@code file} (a regular, uncompressed file) on up to {@code threads} threads. */
    public static FoldedStacks collapse(Path file, String what, PerfCollapse.Options options, int threads,
            Consumer<String> warn) throws IOException, ProfileFormatException {
        return collapse(file, what, options, threads, MIN_PART, warn);
    }

    static FoldedStacks collapse(Path file, String what, PerfCollapse.Options options, int threads, long minPart,
            Consumer<String> warn) throws IOException, ProfileFormatException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long[] bounds = bounds(ch, size, (int) Math.max(1, Math.min(threads, size / Math.max(1, minPart))));
            if (bounds.length == 2) {
                // one part: read to the end, as a stream would (a file that grows, or a /proc-like one of size 0)
                return PerfCollapse.collapse(Channels.newInputStream(ch), what, options, warn);
            }
            String event = options.eventFilter() == null ? firstEvent(ch, size) : null;
            List<Part> parts = new ArrayList<>();
            for (int i = 0; i + 1 < bounds.length; i++) {
                parts.add(new Part(ch, bounds[i], bounds[i + 1], what, options, i == 0 ? null : event));
            }
            run(parts);
            failFirst(parts);
            reparseWrongGuesses(parts, options);
            CollapseNotes.Shown notes = new CollapseNotes.Shown(warn);
            FoldedStacks out = new FoldedStacks();
            for (int i = 0; i < parts.size(); i++) {
                Part p = parts.get(i);
                p.notes.replay(notes);
                p.parser.addTo(out);
                parts.set(i, null); // its tables can go while the next part's stacks are added
            }
            notes.finish();
            return out;
        }
    }

    /** One part on each thread; the first on the calling thread. */
    private static void run(List<Part> parts) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 1; i < parts.size(); i++) {
            Thread t = new Thread(parts.get(i), "collapse-part-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        parts.get(0).run();
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the parts hold the caller's file: finish them before returning
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The first part's error in file order, as one pass would have met it (line numbers counted from the start). */
    private static void failFirst(List<Part> parts) throws IOException, ProfileFormatException {
        long linesBefore = 0;
        for (Part p : parts) {
            if (p.error instanceof ByteLines.LongLineException e) {
                throw e.after(linesBefore);
            }
            if (p.error instanceof ProfileFormatException e) {
                throw e;
            }
            if (p.error instanceof IOException e) {
                throw e;
            }
            if (p.error instanceof RuntimeException e) {
                throw e;
            }
            if (p.error instanceof Error e) {
                throw e;
            }
            linesBefore += p.lines;
        }
    }

    /**
     * When the head named no event type, each part kept the first one it met: right only if that is the file's
     * first. A part that met another one is parsed again with the file's.
     */
    private static void reparseWrongGuesses(List<Part> parts, PerfCollapse.Options options)
            throws IOException, ProfileFormatException {
        if (options.eventFilter() != null) {
            return;
        }
        String first = null;
        for (int i = 0; i < parts.size(); i++) {
            String seen = parts.get(i).parser.event();
            if (seen.isEmpty()) {
                continue; // no record named an event type: nothing was filtered
            }
            if (first == null) {
                first = seen;
            } else if (!seen.equals(first)) {
                Part again = parts.get(i).again(first);
                again.run();
                failFirst(List.of(again));
                parts.set(i, again);
            }
        }
    }

    /** Part boundaries: 0, the starts of samples after each even share of the file, and the size. */
    static long[] bounds(FileChannel ch, long size, int parts) throws IOException {
        List<Long> b = new ArrayList<>();
        b.add(0L);
        for (int k = 1; k < parts; k++) {
            long from = Math.max(size * k / parts, b.get(b.size() - 1));
            long next = nextSampleStart(ch, from, size);
            if (next > b.get(b.size() - 1) && next < size) {
                b.add(next);
            }
        }
        b.add(size);
        return b.stream().mapToLong(Long::longValue).toArray();
    }

    /** The offset just after the first blank line ("\n\n") that ends at or after {@code from}, or {@code size}. */
    private static long nextSampleStart(FileChannel ch, long from, long size) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(WINDOW);
        long pos = Math.max(0, from - 1);
        byte prev = 0;
        while (pos < size) {
            buf.clear();
            int n = ch.read(buf, pos);
            if (n <= 0) {
                break;
            }
            byte[] a = buf.array();
            for (int i = 0; i < n; i++) {
                if (a[i] == '\n' && prev == '\n') {
                    return pos + i + 1;
                }
                prev = a[i];
            }
            pos += n;
        }
        return size;
    }

    private static String firstEvent(FileChannel ch, long size) throws IOException {
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(HEAD, size));
        while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
            // fill the head
        }
        return PerfCollapse.firstEvent(head.array(), head.position());
    }

    /** One part of the file, parsed on its own thread. */
    private static final class Part implements Runnable {
        private final FileChannel ch;
        private final long from;
        private final long to;
        private final String what;
        private final PerfCollapse.Options options;
        final CollapseNotes.Kept notes = new CollapseNotes.Kept();
        final PerfCollapse parser;
        long lines;
        Throwable error;

        Part(FileChannel ch, long from, long to, String what, PerfCollapse.Options options, String event) {
            this.ch = ch;
            this.from = from;
            this.to = to;
            this.what = what;
            this.options = options;
            this.parser = new PerfCollapse(options, notes);
            if (event != null) {
                parser.assumeDefaultEvent(event);
            }
        }

        Part again(String event) {
            return new Part(ch, from, to, what, options, event);
        }

        @Override
        public void run() {
            try {
                lines = parser.parse(new Range(ch, from, to), what);
            } catch (Throwable e) { // handed to the caller's thread, which throws the first in file order
                error = e;
            }
        }
    }

    /**
     * Bytes [from, to) of a file, read by position: parts of one file are read by several threads at once, and
     * positional reads of a FileChannel may run concurrently.
     */
    private static final class Range extends InputStream {
        private final FileChannel ch;
        private long pos;
        private final long to;

        Range(FileChannel ch, long from, long to) {
            this.ch = ch;
            this.pos = from;
            this.to = to;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= to) {
                return -1;
            }
            int n = ch.read(ByteBuffer.wrap(b, off, (int) Math.min(len, to - pos)), pos);
            if (n < 0) {
                return -1; // the file shrank while we read it
            }
            pos += n;
            return n;
        }
    }
}
