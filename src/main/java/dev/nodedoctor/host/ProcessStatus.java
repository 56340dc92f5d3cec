package dev.nodedoctor.host;

import dev.nodedoctor.sys.Cursor;
import dev.nodedoctor.sys.Parser;

/**
 * /proc/&lt;pid&gt;/status, the fields nodedoctor uses. Memory values are in kB as the kernel prints them;
 * a field the kernel does not print (kernel threads have no VmRSS) is -1.
 */
public record ProcessStatus(String name, long uid, long threads, long voluntaryContextSwitches,
                            long involuntaryContextSwitches, long vmRssKb, long rssAnonKb, long rssFileKb,
                            long rssShmemKb, long vmSwapKb) {

    private static final String[] KEYS = {"Uid", "Threads", "voluntary_ctxt_switches",
        "nonvoluntary_ctxt_switches", "VmRSS", "RssAnon", "RssFile", "RssShmem", "VmSwap"};

    public static final Parser<ProcessStatus> PARSER = ProcessStatus::parse;

    public static ProcessStatus parse(byte[] data, int length) throws Parser.MalformedException {
        long[] v = new long[KEYS.length];
        Cursor.keyed(data, length, KEYS, v);
        Cursor c = new Cursor(data, length);
        String name = null;
        if (c.skipWord("Name") && c.skipPast(':')) {
            name = c.restOfLine();
        }
        if (name == null) {
            throw new Parser.MalformedException("no Name: line");
        }
        return new ProcessStatus(name, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
    }
}
