package dev.nodedoctor.host;

import dev.nodedoctor.sys.Cursor;
import dev.nodedoctor.sys.Parser;

import java.nio.charset.StandardCharsets;

/**
 * /proc/&lt;pid&gt;/stat, the fields nodedoctor uses. Times are USER_HZ ticks summed over all threads.
 * The command name is between the first '(' and the <em>last</em> ')', because it may itself contain
 * spaces and parentheses.
 *
 * @param blkioDelayTicks field 42, time spent waiting for block I/O (0 unless delay accounting is on)
 */
public record ProcessStat(int pid, String comm, char state, int ppid, long minorFaults, long majorFaults,
                          long userTicks, long systemTicks, int threads, long startTicks, long rssPages,
                          int processor, long blkioDelayTicks) {

    public static final Parser<ProcessStat> PARSER = ProcessStat::parse;

    public static ProcessStat parse(byte[] data, int length) throws Parser.MalformedException {
        int open = -1, close = -1;
        for (int i = 0; i < length; i++) {
            if (data[i] == '(' && open < 0) {
                open = i;
            } else if (data[i] == ')') {
                close = i;
            }
        }
        if (open < 0 || close < open) {
            throw new Parser.MalformedException("no '(comm)' field");
        }
        Cursor c = new Cursor(data, length);
        int pid = (int) c.nextLong();
        String comm = new String(data, open + 1, close - open - 1, StandardCharsets.UTF_8);
        c.position(close + 1);
        c.skipBlanks();
        char state = (char) c.peek();
        c.skipToken();                         // 3 state
        long[] f = new long[43];
        // fields 4..42; a kernel that prints fewer leaves the rest at 0
        for (int field = 4; field <= 42 && c.atNumber(); field++) {
            f[field] = c.nextLong();
        }
        if (f[22] == 0 && f[20] == 0) {
            throw new Parser.MalformedException("truncated: fewer than 22 fields");
        }
        return new ProcessStat(pid, comm, state, (int) f[4], f[10], f[12], f[14], f[15], (int) f[20], f[22],
                f[24], (int) f[39], f[42]);
    }
}
