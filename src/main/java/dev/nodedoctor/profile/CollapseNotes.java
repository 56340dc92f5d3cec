package dev.nodedoctor.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What collapsing a perf script says on stderr, in input order, as stackcollapse-perf.pl does: each line it does
 * not recognise, and once which event type it drops. Parts of a file parsed in parallel keep their notes and
 * replay them in file order, so stderr is the same as after one pass.
 */
interface CollapseNotes {
    /** Unrecognised lines shown; the rest are counted, so a file of garbage is not a flood on stderr. */
    int SHOWN = 20;

    void unrecognised(String line);

    /** The first record of another event type than the one kept (when that one was not chosen). */
    void filtering(String event);

    /** Notes as warning lines: the first {@link #SHOWN} unrecognised lines, one filtering line, then a count. */
    final class Shown implements CollapseNotes {
        private final Consumer<String> warn;
        private long unrecognised;
        private boolean filteringSaid;

        Shown(Consumer<String> warn) {
            this.warn = warn;
        }

        @Override
        public void unrecognised(String line) {
            unrecognised++;
            if (unrecognised <= SHOWN) {
                warn.accept("Unrecognized line: " + line);
            }
        }

        @Override
        public void filtering(String event) {
            if (!filteringSaid) {
                warn.accept("Filtering for events of type: " + event);
                filteringSaid = true;
            }
        }

        /** Unrecognised lines beyond those shown by a part, counted only. */
        void unrecognisedUnshown(long n) {
            unrecognised += n;
        }

        /** The count of unrecognised lines not shown, once the input is done. */
        void finish() {
            if (unrecognised > SHOWN) {
                warn.accept("... " + (unrecognised - SHOWN) + " more unrecognized lines");
            }
        }
    }

    /** Notes of one part of a file, kept (at most {@link #SHOWN} lines of text) to be replayed in file order. */
    final class Kept implements CollapseNotes {
        private record Note(boolean unrecognised, String text) {
        }

        private final List<Note> notes = new ArrayList<>();
        private int keptLines;
        private long unkeptLines;

        @Override
        public void unrecognised(String line) {
            if (keptLines < SHOWN) {
                notes.add(new Note(true, line));
                keptLines++;
            } else {
                unkeptLines++; // never shown: the lines kept before it are at least SHOWN
            }
        }

        @Override
        public void filtering(String event) {
            notes.add(new Note(false, event));
        }

        void replay(Shown to) {
            for (Note n : notes) {
                if (n.unrecognised()) {
                    to.unrecognised(n.text());
                } else {
                    to.filtering(n.text());
                }
            }
            to.unrecognisedUnshown(unkeptLines);
        }
    }
}
