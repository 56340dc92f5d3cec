package dev.nodedoctor.report;

import dev.nodedoctor.profile.PprofTop;

import java.io.PrintWriter;

/** Prints a {@link PprofTop.Report} in the columns of {@code go tool pprof -top}. */
public final class PprofTopText {
    private PprofTopText() {
    }

    public static void print(PprofTop.Report r, PrintWriter out) {
        for (String h : r.header()) {
            out.println(h);
        }
        out.printf("%10s %5s%% %5s%% %10s %5s%%%n", "flat", "flat", "sum", "cum", "cum");
        for (PprofTop.Row row : r.rows()) {
            out.printf("%10s %s %s %10s %s  %s%s%n", row.flatText(), row.flatPercent(), row.sumPercent(),
                    row.cumText(), row.cumPercent(), row.name(), row.inline().isEmpty() ? "" : " " + row.inline());
        }
    }
}
