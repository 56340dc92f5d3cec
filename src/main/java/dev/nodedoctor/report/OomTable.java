package dev.nodedoctor.report;

import dev.nodedoctor.diagnose.OomExplanation;
import dev.nodedoctor.kernel.OomReport;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** The `oom` command's report: each kill, the numbers side by side, where the memory was, and the fix. */
public final class OomTable {
    private static final double MIB = 1024 * 1024;

    private OomTable() {
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "-" : String.format(Locale.ROOT, "%.1f MiB", bytes / MIB);
    }

    public static void print(List<OomExplanation> kills, String source, List<String> notes, PrintWriter out) {
        if (kills.isEmpty()) {
            out.println("No OOM kill in " + source + ".");
        }
        int n = 0;
        for (OomExplanation e : kills) {
            OomReport r = e.report();
            n++;
            String when = r.wallClock() != null ? r.wallClock()
                    : r.uptimeSeconds() != null ? String.format(Locale.ROOT, "%.3f s after boot", r.uptimeSeconds()) : "time unknown";
            String victim = r.victim() == null ? "victim not in the log"
                    : "killed " + r.victim().pid() + " (" + r.victim().comm() + ")";
            out.printf("%d. %s OOM, %s: %s%s%n", n, r.kind() == OomReport.Kind.MEMCG ? "cgroup" : "system", when, victim,
                    r.complete() ? "" : "   [report incomplete: " + String.join("; ", r.problems()) + "]");
            if (r.oomMemcg() != null && !r.oomMemcg().equals(e.cgroup())) {
                out.println("   limit hit in  " + r.oomMemcg());
            }
            if (e.cgroup() != null) {
                out.println("   cgroup        " + e.cgroup() + "   (the victim's)");
            }
            if (e.pod() != null) {
                out.println("   pod           " + e.pod().podUid() + (e.pod().containerId() == null ? ""
                        : ", container " + e.pod().containerId()) + " (" + e.pod().qos().label() + ")");
            }
            if (r.trigger() != null) {
                out.println("   trigger       " + r.trigger().comm() + (r.trigger().gfpMask() == null ? "" : ", gfp_mask " + r.trigger().gfpMask())
                        + (r.trigger().order() == null ? "" : ", order " + r.trigger().order()));
            }
            out.println("   limit         " + mib(e.limitBytes()));
            out.println("   usage         " + mib(e.usageBytes()) + "   at the kill");
            out.println("   tasks' RSS    " + mib(e.taskRssBytes()) + "   sum over " + r.tasks().size() + " tasks in the report");
            out.println("   gap           " + mib(e.gapBytes()) + "   usage - RSS: charged, but mapped by no process");
            out.println("     page cache  " + mib(e.cacheBytes()) + (e.dirtyBytes() > 0 ? "   (dirty/writeback " + mib(e.dirtyBytes()) + ")" : ""));
            out.println("     shmem       " + mib(e.shmemBytes()));
            out.println("     kernel      " + mib(e.kernelBytes()));
            out.println("     anon        " + mib(e.anonBytes()));
            if (r.victim() != null) {
                out.printf("   victim RSS    anon %s, file %s, shmem %s%n", mib(r.victim().anonRssBytes()),
                        mib(r.victim().fileRssBytes()), mib(r.victim().shmemRssBytes()));
            }
            for (String line : Text.wrap("why: " + e.summary(), Text.WIDTH - 3)) {
                out.println("   " + line);
            }
            for (String line : Text.wrap("fix: " + e.fix(), Text.WIDTH - 3)) {
                out.println("   " + line);
            }
            out.println();
        }
        for (String note : notes) {
            out.println("note: " + note);
        }
        out.flush();
    }
}
