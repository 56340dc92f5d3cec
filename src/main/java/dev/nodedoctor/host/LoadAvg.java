package dev.nodedoctor.host;

import dev.nodedoctor.sys.Cursor;
import dev.nodedoctor.sys.Parser;

/** /proc/loadavg: {@code 0.52 0.58 0.59 3/473 12345}. Linux load counts runnable and D-state tasks. */
public record LoadAvg(double one, double five, double fifteen, long runnable, long threads, long lastPid) {

    public static final Parser<LoadAvg> PARSER = LoadAvg::parse;

    public static LoadAvg parse(byte[] data, int length) throws Parser.MalformedException {
        Cursor c = new Cursor(data, length);
        double one = c.nextDouble();
        double five = c.nextDouble();
        double fifteen = c.nextDouble();
        long runnable = c.nextLong();
        if (!c.skipPast('/')) {
            throw new Parser.MalformedException("expected runnable/total");
        }
        long threads = c.nextLong();
        long last = c.nextLong();
        return new LoadAvg(one, five, fifteen, runnable, threads, last);
    }
}
