package dev.nodedoctor.sys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one door to /proc and /sys. Every read goes through here so that:
 * <ul>
 *   <li>{@code --root DIR} works everywhere (a captured bundle, or a host mounted at /host);</li>
 *   <li>every read has a deadline, and a read the kernel does not finish in time never stalls the caller:
 *       reads run on a reader thread, and a reader stuck in the kernel is abandoned and replaced;</li>
 *   <li>errors say which file and why (missing, permission, timeout), never a bare stack trace;</li>
 *   <li>slow reads are remembered, because on a sick node the slowness of a kernel file is the evidence.</li>
 * </ul>
 * Reads are queued to a single reader thread that owns one growing buffer, so a sampling pass costs one
 * thread hand-off (submit everything, then wait) and allocates little beyond the parsed records.
 */
public final class KernelFiles implements AutoCloseable {
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(2);
    /** Reads slower than this are kept as {@link ReadTiming} evidence. */
    public static final Duration DEFAULT_SLOW = Duration.ofMillis(100);
    /** No kernel file nodedoctor reads is near this; a bigger one is a wrong path or a hostile tree. */
    static final int MAX_FILE_BYTES = 64 << 20;
    /** Readers still stuck in the kernel after their deadline; past this many, we stop adding threads. */
    static final int MAX_HUNG_READERS = 8;
    private static final int KEEP_SLOW_READS = 256;

    private final Path root;
    private final boolean liveRoot;
    private final long deadlineNanos;
    private final long slowNanos;
    private final LinkedBlockingDeque<Request<?>> queue = new LinkedBlockingDeque<>();
    private final Object lock = new Object();
    private final AtomicInteger hungReaders = new AtomicInteger();
    private final AtomicInteger readerSerial = new AtomicInteger();
    private final Deque<ReadTiming> slowReads = new ArrayDeque<>();
    private Reader reader;
    private volatile ReadRecorder recorder;
    private volatile int keepOpen;
    private volatile boolean closed;

    private KernelFiles(Path root, Duration deadline, Duration slow) {
        this.root = root.toAbsolutePath().normalize();
        this.liveRoot = this.root.getParent() == null;
        this.deadlineNanos = deadline.toNanos();
        this.slowNanos = slow.toNanos();
        if (deadlineNanos <= 0) {
            throw new IllegalArgumentException("the read deadline must be positive, not " + deadline);
        }
    }

    /** The running system, deadline {@link #DEFAULT_DEADLINE}. */
    public static KernelFiles live() {
        return at(Path.of("/"), DEFAULT_DEADLINE);
    }

    /** A tree rooted at {@code root}: {@code /proc/stat} is read from {@code root/proc/stat}. */
    public static KernelFiles at(Path root, Duration deadline) {
        return new KernelFiles(root, deadline, DEFAULT_SLOW);
    }

    public static KernelFiles at(Path root, Duration deadline, Duration slow) {
        return new KernelFiles(root, deadline, slow);
    }

    public Path root() {
        return root;
    }

    /** True when reading the machine we run on, not a captured or mounted tree. */
    public boolean isLive() {
        return liveRoot;
    }

    public Duration deadline() {
        return Duration.ofNanos(deadlineNanos);
    }

    public Duration slowThreshold() {
        return Duration.ofNanos(slowNanos);
    }

    /**
     * Keeps up to {@code budget} files open between reads and re-reads them from offset 0, for loops that read
     * the same files every pass (`top`, the agent). 0 (the default) opens and closes every file. Kept
     * descriptors are closed when the reader thread ends or is abandoned.
     */
    public void keepOpen(int budget) {
        if (budget < 0) {
            throw new IllegalArgumentException("budget must not be negative");
        }
        this.keepOpen = budget;
    }

    public void record(ReadRecorder recorder) {
        this.recorder = recorder;
    }

    /**
     * Checks that the root looks like a Linux tree (it has {@code proc/stat}), so that a wrong --root gives
     * one clear sentence instead of a cascade of missing files.
     */
    public void requireLinuxTree() throws KernelFileException {
        if (!Files.isDirectory(root)) {
            throw new KernelFileException(KernelFileException.Kind.MISSING, root.toString(),
                    "the root is not a directory");
        }
        try {
            read("/proc/stat", (data, length) -> length);
        } catch (KernelFileException e) {
            if (e.kind() == KernelFileException.Kind.MISSING) {
                throw new KernelFileException(KernelFileException.Kind.MISSING, root.toString(),
                        "not a Linux tree: there is no proc/stat under it; point --root at a host's / or an extracted capture");
            }
            throw e; // permission denied or a hang says more than "not Linux"
        }
    }

    /** The file on disk for a kernel path such as {@code /proc/stat}. */
    public Path resolve(String kernelPath) {
        if (liveRoot) {
            return Path.of(kernelPath);
        }
        return root.resolve(kernelPath.startsWith("/") ? kernelPath.substring(1) : kernelPath);
    }

    /** Reads and parses one file, waiting at most until its deadline. */
    public <T> T read(String path, Parser<T> parser) throws KernelFileException {
        return submit(path, parser).get();
    }

    /** Reads one file as text. */
    public String readText(String path) throws KernelFileException {
        return read(path, Parser.TEXT);
    }

    /** Queues a read; call {@link Pending#get()} later. Submit a whole pass first, then collect. */
    public <T> Pending<T> submit(String path, Parser<T> parser) {
        return enqueue(new Request<>(Op.READ, path, parser));
    }

    /**
     * Reads a file that may never reach its end, such as {@code /dev/kmsg}: read(2) is repeated until the file
     * ends or until no data has come for {@code idle}, and everything read so far is then parsed as one text.
     * <p>
     * Why an idle timeout: {@code /dev/kmsg} hands out one record per read(2) and, at the end of the ring,
     * blocks until the kernel logs something new; only O_NONBLOCK turns that into EAGAIN, and the JDK cannot
     * open a file with O_NONBLOCK. The records already in the ring come back at memory speed (microseconds
     * apart), so a pause of {@code idle} inside one read(2) means "the ring is drained" (time the reader thread
     * spends outside read(2), e.g. not scheduled on a loaded node, does not count). The reader blocked in that last read is
     * then interrupted: a {@link FileChannel} is interruptible, the JDK signals the blocked thread, the read
     * returns EINTR and the channel closes, and the reader thread goes on serving the queue.
     * <p>
     * The deadline applies to each read, not to the whole stream: a stream that keeps delivering is read until
     * {@link #MAX_FILE_BYTES}, then what was read is returned. EPIPE from a read (kmsg: the record at our
     * position was overwritten before we got to it) is skipped; the record sequence numbers show the gap.
     * A regular file (a saved log under {@code --root}) simply ends at EOF.
     */
    public <T> T readUntilIdle(String path, Duration idle, Parser<T> parser) throws KernelFileException {
        long idleNanos = idle.toNanos();
        if (idleNanos <= 0 || idleNanos >= deadlineNanos) {
            throw new IllegalArgumentException("the idle timeout must be positive and below the read deadline "
                    + deadline() + ", not " + idle);
        }
        Request<T> r = new Request<>(Op.READ_UNTIL_IDLE, path, parser);
        r.idleNanos = idleNanos;
        return enqueue(r).get();
    }

    /** The names in a directory (not sorted), through the reader thread so a hung readdir cannot stall us. */
    public List<String> list(String dir) throws KernelFileException {
        return enqueue(new Request<List<String>>(Op.LIST, dir, null)).get();
    }

    /** The names of the sub-directories of a directory. */
    public List<String> listDirectories(String dir) throws KernelFileException {
        return enqueue(new Request<List<String>>(Op.LIST_DIRS, dir, null)).get();
    }

    /**
     * Every directory below {@code dir} (not {@code dir} itself), as paths relative to it such as
     * {@code kubepods/burstable}, parents before children, at most {@code maxDepth} levels down. The walk
     * runs on the reader thread as one request under one deadline, so a hierarchy of a thousand cgroups
     * costs one hand-off. Directories that vanish during the walk (a cgroup removed) are skipped.
     */
    public List<String> walkDirectories(String dir, int maxDepth) throws KernelFileException {
        Request<List<String>> r = new Request<>(Op.WALK, dir, null);
        r.maxDepth = maxDepth;
        return enqueue(r).get();
    }

    /**
     * Queues a read of {@code dir/<entry>/<file>} for every entry of {@code dir}, as one request: used for
     * {@code /proc/<pid>/task/<tid>/schedstat}, where the process-level file covers only the main thread.
     * Entries that vanish meanwhile (threads that exit) are skipped.
     */
    public <T> Pending<List<T>> submitEach(String dir, String file, Parser<T> parser) {
        Request<List<T>> r = new Request<>(Op.READ_EACH, dir, null);
        r.eachFile = file;
        r.eachParser = parser;
        return enqueue(r);
    }

    /**
     * The targets of the symbolic links in {@code dir} that start with one of {@code prefixes}: for
     * {@code /proc/PID/fd}, the files of those mounts the process has open right now. One request under one
     * deadline; descriptors closed meanwhile are skipped. Targets are the kernel's own paths (not under
     * {@code --root}): this looks at live processes only.
     */
    public List<String> linkTargets(String dir, List<String> prefixes) throws KernelFileException {
        Request<List<String>> r = new Request<>(Op.LINKS, dir, null);
        r.linkPrefixes = List.copyOf(prefixes);
        return enqueue(r).get();
    }

    /**
     * Waits until every read submitted before this call has finished (or timed out). The reader serves in
     * order, so after this one wake-up the caller collects a whole pass without waiting per file.
     */
    public void await() {
        try {
            enqueue(new Request<Void>(Op.BARRIER, "(barrier)", null)).get();
        } catch (KernelFileException e) {
            // a barrier reads nothing; a timeout here was already reported against the stuck read
        }
    }

    /** Whether the path exists. Used for optional files (PSI, cpu.cfs_burst_us) before reading them. */
    public boolean exists(String path) {
        return Files.exists(resolve(path));
    }

    /** Reads slower than the slow threshold, and timed-out reads, oldest first (at most 256 kept). */
    public List<ReadTiming> slowReads() {
        synchronized (slowReads) {
            return List.copyOf(slowReads);
        }
    }

    /** Reader threads still stuck in the kernel after their deadline. */
    public int hungReaders() {
        return hungReaders.get();
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            if (reader != null) {
                reader.thread.interrupt();
                reader = null;
            }
        }
        KernelFileException closedError = new KernelFileException(KernelFileException.Kind.IO, "-", "reader closed");
        for (Request<?> r; (r = queue.poll()) != null; ) {
            r.fail(closedError);
        }
    }

    private <T> Request<T> enqueue(Request<T> request) {
        if (closed) {
            request.fail(new KernelFileException(KernelFileException.Kind.IO, request.path, "reader closed"));
            return request;
        }
        synchronized (lock) {
            if (reader == null) {
                if (hungReaders.get() >= MAX_HUNG_READERS) {
                    request.fail(new KernelFileException(KernelFileException.Kind.TIMEOUT, request.path,
                            hungReaders.get() + " earlier reads are still stuck in the kernel; not starting more"));
                    return request;
                }
                reader = new Reader();
            }
        }
        queue.add(request);
        return request;
    }

    /**
     * Called by a waiting caller: if the reader has been inside one read for longer than the deadline,
     * fail that read with TIMEOUT, abandon the reader (it exits when the kernel lets it go) and start a new
     * one for the rest of the queue.
     */
    private void checkStuck() {
        Request<?> victim = null;
        synchronized (lock) {
            Reader r = reader;
            if (r == null) {
                return;
            }
            Request<?> current = r.current;
            if (current != null && current.idleNanos > 0) {
                // a streaming read: quiet for `idle` means drained; interrupt the read that waits for more
                // only while the reader sits inside read(2): a reader the scheduler has not run for a while
                // (a loaded node) has not caught up with the ring and must not be taken for drained
                if (!current.idleStop && current.inRead && System.nanoTime() - current.progressAt > current.idleNanos) {
                    current.idleStop = true;
                    r.thread.interrupt();
                }
                if (System.nanoTime() - current.progressAt <= deadlineNanos) {
                    return;
                }
                // the interrupt did not free the reader within the deadline: treat it as a stuck read
            }
            if (current != null && System.nanoTime() - current.startedAt > deadlineNanos
                    && (current.idleNanos == 0 || System.nanoTime() - current.progressAt > deadlineNanos)) {
                r.abandoned = true;
                hungReaders.incrementAndGet();
                reader = null;
                victim = current;
                if (!queue.isEmpty() && hungReaders.get() < MAX_HUNG_READERS) {
                    reader = new Reader();
                }
            }
        }
        if (victim != null) {
            victim.fail(new KernelFileException(KernelFileException.Kind.TIMEOUT, victim.path,
                    "no answer within " + formatDeadline() + "; the kernel is still working on it"));
            noteTiming(new ReadTiming(victim.path, Duration.ofNanos(deadlineNanos), true));
            if (reader == null) {
                // No reader may be started: everything still queued fails now rather than waiting forever.
                for (Request<?> q; (q = queue.poll()) != null; ) {
                    q.fail(new KernelFileException(KernelFileException.Kind.TIMEOUT, q.path,
                            hungReaders.get() + " earlier reads are still stuck in the kernel"));
                }
            }
        }
    }

    private String formatDeadline() {
        long ms = TimeUnit.NANOSECONDS.toMillis(deadlineNanos);
        return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
    }

    private void noteTiming(ReadTiming timing) {
        synchronized (slowReads) {
            if (slowReads.size() == KEEP_SLOW_READS) {
                slowReads.removeFirst();
            }
            slowReads.addLast(timing);
        }
    }

    private enum Op { READ, LIST, LIST_DIRS, WALK, READ_EACH, BARRIER, READ_UNTIL_IDLE, LINKS }

    private final class Request<T> implements Pending<T> {
        final Op op;
        final String path;
        final Parser<T> parser;
        volatile long startedAt;
        /** READ_UNTIL_IDLE: when the last data arrived, the idle timeout, and whether we interrupted it. */
        volatile long progressAt;
        long idleNanos;
        volatile boolean idleStop;
        volatile boolean inRead;
        int maxDepth;
        String eachFile;
        Parser<?> eachParser;
        List<String> linkPrefixes;
        private long elapsedNanos = -1;
        private boolean done;
        private T value;
        private KernelFileException error;

        Request(Op op, String path, Parser<T> parser) {
            this.op = op;
            this.path = path;
            this.parser = parser;
        }

        synchronized boolean succeed(T v, long elapsed) {
            if (done) {
                return false;
            }
            done = true;
            value = v;
            elapsedNanos = elapsed;
            notifyAll();
            return true;
        }

        synchronized void fail(KernelFileException e) {
            if (done) {
                return;
            }
            done = true;
            error = e;
            notifyAll();
        }

        @Override
        public T get() throws KernelFileException {
            // Wait in short slices; between them look for a reader stuck past its deadline, so a stuck read
            // is noticed within about deadline + 50 ms. checkStuck runs outside our monitor: it fails other
            // requests, and two waiters holding their own monitors must never wait for each other's.
            long slice = Math.min(TimeUnit.MILLISECONDS.toNanos(50), deadlineNanos);
            while (true) {
                synchronized (this) {
                    if (!done) {
                        try {
                            TimeUnit.NANOSECONDS.timedWait(this, slice);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new KernelFileException(KernelFileException.Kind.IO, path, "interrupted");
                        }
                    }
                    if (done) {
                        if (error != null) {
                            throw error;
                        }
                        return value;
                    }
                }
                checkStuck();
            }
        }

        @Override
        public synchronized Duration elapsed() {
            return elapsedNanos < 0 ? Duration.ZERO : Duration.ofNanos(elapsedNanos);
        }
    }

    /** The reader thread. Owns its buffer, so an abandoned reader can never scribble on a live one's. */
    private final class Reader implements Runnable {
        final Thread thread;
        volatile Request<?> current;
        volatile boolean abandoned;
        private byte[] buffer = new byte[16 << 10];
        /** Descriptors kept open between passes (see {@link #keepOpen(int)}), least recently used first. */
        private final java.util.LinkedHashMap<String, FileChannel> openFiles = new java.util.LinkedHashMap<>(64, 0.75f, true);

        Reader() {
            thread = new Thread(this, "nodedoctor-kernel-reader-" + readerSerial.incrementAndGet());
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            try {
                while (true) {
                    Request<?> r = queue.poll(30, TimeUnit.SECONDS);
                    synchronized (lock) {
                        if (abandoned || reader != this) {
                            if (r != null) {
                                queue.addFirst(r);
                            }
                            return;
                        }
                        if (r == null) {
                            // idle: let the thread go; the next submit starts a new one
                            reader = null;
                            return;
                        }
                        r.startedAt = System.nanoTime();
                        r.progressAt = r.startedAt;
                        current = r;
                    }
                    serve(r);
                    synchronized (lock) {
                        current = null;
                        if (r.idleStop && !closed) {
                            // an idle-stop interrupt may land after the read returned: never let it reach
                            // queue.poll, where it would look like close()
                            Thread.interrupted();
                        }
                        if (abandoned) {
                            return; // the kernel let go of us after we were replaced: leave
                        }
                    }
                }
            } catch (InterruptedException e) {
                // closed
            } finally {
                closeAll();
                if (abandoned) {
                    hungReaders.decrementAndGet();
                }
            }
        }

        private <T> void serve(Request<T> r) {
            T value;
            try {
                value = execute(r);
            } catch (KernelFileException e) {
                r.fail(e);
                return;
            } catch (RuntimeException e) {
                // a parser bug must not kill the reader; report it against the file
                r.fail(new KernelFileException(KernelFileException.Kind.MALFORMED, r.path, e.toString(), e));
                return;
            }
            long elapsed = System.nanoTime() - r.startedAt;
            if (r.succeed(value, elapsed) && elapsed >= slowNanos) {
                noteTiming(new ReadTiming(r.path, Duration.ofNanos(elapsed), false));
            }
        }

        @SuppressWarnings("unchecked")
        private <T> T execute(Request<T> r) throws KernelFileException {
            Path file = r.op == Op.BARRIER ? null : resolve(r.path);
            switch (r.op) {
                case READ:
                    int n = readFile(file, r.path);
                    ReadRecorder rec = recorder;
                    if (rec != null) {
                        rec.file(r.path, buffer, n);
                    }
                    try {
                        return r.parser.parse(buffer, n);
                    } catch (Parser.MalformedException e) {
                        throw new KernelFileException(KernelFileException.Kind.MALFORMED, r.path, e.getMessage());
                    }
                case LIST:
                case LIST_DIRS:
                    return (T) Directories.list(file, r.path, r.op == Op.LIST_DIRS, recorder);
                case WALK:
                    return (T) Directories.walk(file, r.path, r.maxDepth, recorder);
                case READ_EACH:
                    return (T) readEach(file, r.path, r.eachFile, r.eachParser);
                case LINKS:
                    return (T) Directories.linkTargets(file, r.path, r.linkPrefixes);
                case BARRIER:
                    return null;
                case READ_UNTIL_IDLE:
                    int got = readUntilIdle(file, r);
                    try {
                        return r.parser.parse(buffer, got);
                    } catch (Parser.MalformedException e) {
                        throw new KernelFileException(KernelFileException.Kind.MALFORMED, r.path, e.getMessage());
                    }
                default:
                    throw new IllegalStateException(r.op.toString());
            }
        }

        private int readFile(Path file, String path) throws KernelFileException {
            int budget = keepOpen;
            if (budget > 0) {
                return readKeepingOpen(file, path, budget);
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                return readFrom(ch, path, false);
            } catch (IOException e) {
                throw KernelFileException.of(e, path);
            }
        }

        /**
         * Re-reads a file through a descriptor kept open from an earlier pass (pread at offset 0: procfs and
         * cgroupfs build fresh text on each read). Open and close are most of the cost of reading a small
         * kernel file; a descriptor of /proc/PID/stat stays bound to that process, so a reused pid can never be
         * read through it — an exited process reads as ESRCH, and the path is then opened afresh once.
         */
        private int readKeepingOpen(Path file, String path, int budget) throws KernelFileException {
            FileChannel cached = openFiles.get(path);
            if (cached != null) {
                try {
                    return readFrom(cached, path, true);
                } catch (IOException e) {
                    closeQuietly(openFiles.remove(path)); // gone (ESRCH, ENODEV): try the path once more below
                }
            }
            FileChannel ch = null;
            try {
                ch = FileChannel.open(file, StandardOpenOption.READ);
                int n = readFrom(ch, path, true);
                openFiles.put(path, ch);
                while (openFiles.size() > budget) {
                    var eldest = openFiles.entrySet().iterator().next();
                    closeQuietly(eldest.getValue());
                    openFiles.remove(eldest.getKey());
                }
                return n;
            } catch (IOException e) {
                closeQuietly(ch);
                throw KernelFileException.of(e, path);
            } catch (KernelFileException e) {
                closeQuietly(ch);
                throw e;
            }
        }

        /**
         * @param positional pread from offset 0 (a kept descriptor); plain sequential reads otherwise, which
         *                   also work on FIFOs and pipes, where a positional read is an error (ESPIPE)
         */
        private int readFrom(FileChannel ch, String path, boolean positional) throws IOException, KernelFileException {
            int n = 0;
            while (true) {
                if (n == buffer.length) {
                    if (buffer.length >= MAX_FILE_BYTES) {
                        throw new KernelFileException(KernelFileException.Kind.TOO_LARGE, path,
                                "more than " + (MAX_FILE_BYTES >> 20) + " MiB");
                    }
                    buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
                }
                ByteBuffer into = ByteBuffer.wrap(buffer, n, buffer.length - n);
                int got = positional ? ch.read(into, n) : ch.read(into);
                if (got < 0) {
                    return n;
                }
                n += got;
            }
        }

        private void closeAll() {
            for (FileChannel ch : openFiles.values()) {
                closeQuietly(ch);
            }
            openFiles.clear();
        }

        /** Largest record /dev/kmsg hands out in one read; a smaller buffer gets EINVAL. */
        private static final int MIN_RECORD_ROOM = 16 << 10;

        private int readUntilIdle(Path file, Request<?> r) throws KernelFileException {
            int n = 0;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                while (n < MAX_FILE_BYTES) {
                    if (buffer.length - n < MIN_RECORD_ROOM) {
                        buffer = java.util.Arrays.copyOf(buffer, Math.min(buffer.length * 2, MAX_FILE_BYTES + MIN_RECORD_ROOM));
                    }
                    int got;
                    try {
                        ByteBuffer into = ByteBuffer.wrap(buffer, n, buffer.length - n);
                        r.progressAt = System.nanoTime(); // idle counts from entering the read
                        r.inRead = true;
                        try {
                            got = ch.read(into);
                        } finally {
                            r.inRead = false;
                        }
                    } catch (java.nio.channels.ClosedByInterruptException e) {
                        if (r.idleStop) {
                            return n; // drained: the read that waited for more was interrupted on purpose
                        }
                        throw new KernelFileException(KernelFileException.Kind.IO, r.path, "interrupted");
                    } catch (IOException e) {
                        if (String.valueOf(e.getMessage()).contains("Broken pipe")) {
                            continue; // EPIPE: records overwritten before we read them; the next read goes on
                        }
                        throw e;
                    }
                    if (got < 0) {
                        return n;
                    }
                    n += got;
                    r.progressAt = System.nanoTime();
                }
                return n;
            } catch (java.nio.channels.ClosedByInterruptException e) {
                if (r.idleStop) {
                    return n;
                }
                throw new KernelFileException(KernelFileException.Kind.IO, r.path, "interrupted");
            } catch (IOException e) {
                throw KernelFileException.of(e, r.path);
            } finally {
                ReadRecorder rec = recorder;
                if (rec != null && n > 0) {
                    rec.file(r.path, buffer, n);
                }
            }
        }

        private <E> List<E> readEach(Path dir, String path, String fileName, Parser<E> parser) throws KernelFileException {
            List<String> names = Directories.list(dir, path, false, recorder);
            List<E> out = new ArrayList<>(names.size());
            for (String name : names) {
                String sub = path + "/" + name + "/" + fileName;
                int n;
                try {
                    n = readFile(dir.resolve(name).resolve(fileName), sub);
                } catch (KernelFileException e) {
                    if (e.kind() == KernelFileException.Kind.MISSING) {
                        continue;
                    }
                    throw e;
                }
                ReadRecorder rec = recorder;
                if (rec != null) {
                    rec.file(sub, buffer, n);
                }
                try {
                    out.add(parser.parse(buffer, n));
                } catch (Parser.MalformedException e) {
                    throw new KernelFileException(KernelFileException.Kind.MALFORMED, sub, e.getMessage());
                }
            }
            return out;
        }


    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing a procfs descriptor cannot lose data
            }
        }
    }
}
