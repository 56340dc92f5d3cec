package dev.nodedoctor.host;

import dev.nodedoctor.sys.Cursor;
import dev.nodedoctor.sys.Parser;

import java.util.ArrayList;
import java.util.List;

/**
 * /proc/stat: CPU time per state (all CPUs and each CPU), context switches, and the instant counts of
 * runnable and I/O-blocked tasks.
 */
public record ProcStat(CpuTimes all, List<CpuTimes> perCpu, long contextSwitches, long processesCreated,
                       long running, long blocked, long bootTimeSeconds) {

    public static final Parser<ProcStat> PARSER = ProcStat::parse;

    public static ProcStat parse(byte[] data, int length) throws Parser.MalformedException {
        Cursor c = new Cursor(data, length);
        CpuTimes all = null;
        List<CpuTimes> per = new ArrayList<>();
        long ctxt = -1, processes = -1, running = -1, blocked = -1, btime = -1;
        while (!c.atEnd()) {
            if (c.lookingAt("cpu")) {
                String name = c.token();
                // older kernels have fewer columns (steal since 2.6.11, guest 2.6.24, guest_nice 2.6.33)
                long[] v = new long[10];
                for (int i = 0; i < v.length && c.atNumber(); i++) {
                    v[i] = c.nextLong();
                }
                CpuTimes t = new CpuTimes(name, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
                if (name.equals("cpu")) {
                    all = t;
                } else {
                    per.add(t);
                }
            } else if (c.skipWord("ctxt")) {
                ctxt = c.nextLong();
            } else if (c.skipWord("processes")) {
                processes = c.nextLong();
            } else if (c.skipWord("procs_running")) {
                running = c.nextLong();
            } else if (c.skipWord("procs_blocked")) {
                blocked = c.nextLong();
            } else if (c.skipWord("btime")) {
                btime = c.nextLong();
            }
            if (!c.nextLine()) {
                break;
            }
        }
        if (all == null) {
            throw new Parser.MalformedException("no 'cpu' line");
        }
        return new ProcStat(all, List.copyOf(per), ctxt, processes, running, blocked, btime);
    }
}
