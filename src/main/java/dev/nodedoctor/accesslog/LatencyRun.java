package dev.nodedoctor.accesslog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the layers' sources into an analyzer. Without a join, each source is read to its end in turn. With
 * a join, the layers are read side by side, always advancing the layer whose current record is oldest (by the
 * logs' timestamps), so a request's lines in the different layers meet while both are in flight and the join
 * table stays small.
 */
public final class LatencyRun {
    /** One layer: its name and its sources, read in the given order. */
    public record Layer(String name, List<LogSource> sources) {
    }

    private LatencyRun() {
    }

    public static LatencyAnalysis run(List<Layer> layers, LatencyAnalyzer analyzer, Buckets buckets) throws IOException {
        int n = layers.size();
        Cursor[] cursors = new Cursor[n];
        for (int i = 0; i < n; i++) {
            cursors[i] = new Cursor(layers.get(i).sources());
        }
        if (!analyzer.joining()) {
            for (int i = 0; i < n; i++) {
                while (cursors[i].advance()) {
                    analyzer.add(i, cursors[i].record);
                }
            }
        } else {
            for (Cursor c : cursors) {
                c.advance();
            }
            while (true) {
                int pick = -1;
                long best = Long.MAX_VALUE;
                long fewest = Long.MAX_VALUE;
                for (int i = 0; i < n; i++) {
                    Cursor c = cursors[i];
                    if (c.done) {
                        continue;
                    }
                    long t = c.record.epochMillis();
                    if (t == Long.MIN_VALUE) {
                        // no timestamps: advance the layer that has read the fewest records
                        if (best == Long.MAX_VALUE && c.count < fewest) {
                            fewest = c.count;
                            pick = i;
                        }
                    } else if (t < best) {
                        best = t;
                        pick = i;
                    }
                }
                if (pick < 0) {
                    break;
                }
                analyzer.add(pick, cursors[pick].record);
                cursors[pick].advance();
            }
        }
        List<List<LogSource.Stats>> stats = new ArrayList<>();
        for (Layer l : layers) {
            stats.add(l.sources().stream().map(LogSource::stats).toList());
        }
        return analyzer.finish(buckets, stats);
    }

    /**
     * Reads every source on its own thread from a pool of {@code threads}, each thread into its own analyzer,
     * and merges them (no join: a join needs the layers in time order). Sources of one file that was split
     * into chunks are listed one after another under the same name; their stats are merged back.
     */
    public static LatencyAnalysis runParallel(List<Layer> layers, java.util.function.Supplier<LatencyAnalyzer> factory,
                                              int threads, Buckets buckets) throws IOException {
        record Task(int layer, LogSource source) {
        }
        java.util.concurrent.ConcurrentLinkedQueue<Task> tasks = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int i = 0; i < layers.size(); i++) {
            for (LogSource s : layers.get(i).sources()) {
                tasks.add(new Task(i, s));
            }
        }
        List<LatencyAnalyzer> analyzers = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        // a reader that fails must fail the run: a thread that just dies would leave a partial answer
        java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
        for (int t = 0; t < Math.max(1, threads); t++) {
            LatencyAnalyzer a = factory.get();
            analyzers.add(a);
            Thread w = new Thread(() -> {
                try {
                    AccessRecord r = new AccessRecord();
                    Task task;
                    while (failed.get() == null && (task = tasks.poll()) != null) {
                        while (task.source().next(r)) {
                            a.add(task.layer(), r);
                        }
                    }
                } catch (RuntimeException | Error e) {
                    failed.compareAndSet(null, e);
                }
            }, "latency-reader-" + t);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        Throwable f = failed.get();
        if (f instanceof RuntimeException e) {
            throw e;
        }
        if (f instanceof Error e) {
            throw e;
        }
        LatencyAnalyzer total = analyzers.get(0);
        for (int i = 1; i < analyzers.size(); i++) {
            total.merge(analyzers.get(i));
        }
        List<List<LogSource.Stats>> stats = new ArrayList<>();
        for (Layer l : layers) {
            List<LogSource.Stats> merged = new ArrayList<>();
            List<LogSource.Stats> run = new ArrayList<>();
            for (LogSource s : l.sources()) {
                if (!run.isEmpty() && !run.get(0).name().equals(s.name())) {
                    merged.add(LogSource.Stats.merge(run));
                    run.clear();
                }
                run.add(s.stats());
            }
            if (!run.isEmpty()) {
                merged.add(LogSource.Stats.merge(run));
            }
            stats.add(merged);
        }
        return total.finish(buckets, stats);
    }

    private static final class Cursor {
        final List<LogSource> sources;
        final AccessRecord record = new AccessRecord();
        int at;
        long count;
        boolean done;

        Cursor(List<LogSource> sources) {
            this.sources = sources;
            this.done = sources.isEmpty();
        }

        boolean advance() {
            while (at < sources.size()) {
                if (sources.get(at).next(record)) {
                    count++;
                    return true;
                }
                at++;
            }
            done = true;
            return false;
        }
    }
}
