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
