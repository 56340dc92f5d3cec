package dev.nodedoctor.kernel;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One pass over a kernel log: every recognised event and every OOM report, plus the input's notes. This is
 * what the {@code kernel-log} and {@code oom} commands start from. Lines themselves are not kept, so a scan
 * of a 100 MB log holds only what it found.
 *
 * @param lines    input lines read
 * @param events   recognised lines, in input order
 * @param oomReports OOM reports, in the order they ended
 * @param notes    remarks about the input (kmsg records lost to overwrites)
 */
public record KernelLogScan(long lines, List<KernelEvent> events, List<OomReport> oomReports, List<String> notes) {

    public KernelLogScan {
        events = List.copyOf(events);
        oomReports = List.copyOf(oomReports);
        notes = List.copyOf(notes);
    }

    /** Scans lines already parsed (e.g. from {@link KmsgReader}). */
    public static KernelLogScan of(KernelLog log, KernelEventRules rules) {
        Accumulator a = new Accumulator(rules);
        for (KernelLogLine l : log.lines()) {
            a.accept(l);
        }
        return a.finish(log.lines().size(), log.notes());
    }

    /** Scans a text stream line by line (a saved dmesg, journalctl -k output, kern.log, stdin). */
    public static KernelLogScan scan(BufferedReader in, KernelEventRules rules) throws IOException {
        Accumulator a = new Accumulator(rules);
        KernelLogParser parser = new KernelLogParser(a::accept);
        for (String s; (s = in.readLine()) != null; ) {
            parser.accept(s);
        }
        parser.finish();
        return a.finish(parser.lines(), parser.notes());
    }

    private static final class Accumulator {
        final KernelEventRules rules;
        final List<KernelEvent> events = new ArrayList<>();
        final List<OomReport> reports = new ArrayList<>();
        final OomReportParser oom = new OomReportParser(reports::add);

        Accumulator(KernelEventRules rules) {
            this.rules = rules;
        }

        void accept(KernelLogLine l) {
            rules.match(l).ifPresent(events::add);
            oom.accept(l);
        }

        KernelLogScan finish(long lines, List<String> notes) {
            oom.finish();
            return new KernelLogScan(lines, events, reports, notes);
        }
    }
}
