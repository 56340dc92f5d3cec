package dev.nodedoctor.host;

import dev.nodedoctor.sys.Cursor;
import dev.nodedoctor.sys.Parser;

/**
 * A PSI file (/proc/pressure/{cpu,memory,io} or a cgroup v2 {@code *.pressure}): the share of wall time in
 * which some (or all) non-idle tasks were stalled on the resource. {@code full} is null where the kernel
 * does not report it (system-wide cpu before 5.13).
 */
public record Pressure(Stall some, Stall full) {

    /** Averages in percent over 10 s, 60 s and 300 s; {@code totalMicros} is the stall time since boot. */
    public record Stall(double avg10, double avg60, double avg300, long totalMicros) {
    }

    public static final Parser<Pressure> PARSER = Pressure::parse;

    public static Pressure parse(byte[] data, int length) throws Parser.MalformedException {
        Cursor c = new Cursor(data, length);
        Stall some = null, full = null;
        while (!c.atEnd()) {
            if (c.skipWord("some")) {
                some = stall(c);
            } else if (c.skipWord("full")) {
                full = stall(c);
            }
            if (!c.nextLine()) {
                break;
            }
        }
        if (some == null) {
            throw new Parser.MalformedException("no 'some' line");
        }
        return new Pressure(some, full);
    }

    private static Stall stall(Cursor c) throws Parser.MalformedException {
        double a10 = 0, a60 = 0, a300 = 0;
        long total = 0;
        for (int i = 0; i < 4 && !c.atLineEnd(); i++) {
            if (c.skipWord("avg10") && c.skipPast('=')) {
                a10 = c.nextDouble();
            } else if (c.skipWord("avg60") && c.skipPast('=')) {
                a60 = c.nextDouble();
            } else if (c.skipWord("avg300") && c.skipPast('=')) {
                a300 = c.nextDouble();
            } else if (c.skipWord("total") && c.skipPast('=')) {
                total = c.nextLong();
            } else {
                c.skipToken();
            }
        }
        return new Stall(a10, a60, a300, total);
    }
}
