package dev.nodedoctor.host;

import dev.nodedoctor.sys.Cursor;
import dev.nodedoctor.sys.Parser;

/**
 * /proc/&lt;pid&gt;/schedstat: nanoseconds on CPU, nanoseconds runnable but waiting on a run queue, and the
 * number of times the task was scheduled. The wait time is the direct measure of CPU contention.
 */
public record SchedStat(long runNanos, long waitNanos, long timeslices) {

    public static final Parser<SchedStat> PARSER = SchedStat::parse;

    public static SchedStat parse(byte[] data, int length) throws Parser.MalformedException {
        Cursor c = new Cursor(data, length);
        return new SchedStat(c.nextLong(), c.nextLong(), c.nextLong());
    }
}
