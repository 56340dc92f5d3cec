package dev.nodedoctor.probe;

import dev.nodedoctor.host.NetSnmp;
import dev.nodedoctor.sys.KernelFileException;
import dev.nodedoctor.sys.KernelFiles;

/**
 * How the TCP counters of one network namespace changed over a window: the changes, and the window length
 * for rates. A counter this kernel lacks is -1 in both readings and stays -1 here.
 *
 * @param synRetrans      TcpExt.TCPSynRetrans: SYNs this node sent again (its outgoing connects were not answered)
 * @param activeOpens     Tcp.ActiveOpens: connects this node started (the denominator for the SYN-retransmit share)
 * @param listenOverflows TcpExt.ListenOverflows: handshakes completed while a listener's accept queue was full
 * @param listenDrops     TcpExt.ListenDrops: incoming SYNs/ACKs a listener dropped (includes the overflows)
 * @param retransSegs     Tcp.RetransSegs: all retransmitted segments
 * @param outSegs         Tcp.OutSegs: all sent segments (the denominator for the retransmit share)
 */
public record TcpCounters(double seconds, long synRetrans, long activeOpens, long listenOverflows, long listenDrops,
                          long retransSegs, long outSegs) {

    public static final String NETSTAT = "/proc/net/netstat";
    public static final String SNMP = "/proc/net/snmp";

    /** Reads both files; counters are those of the namespace of the reading process (or of the capture). */
    public static NetSnmp read(KernelFiles files) throws KernelFileException {
        return files.read(NETSTAT, NetSnmp.PARSER).plus(files.read(SNMP, NetSnmp.PARSER));
    }

    public static TcpCounters between(NetSnmp before, NetSnmp after, double seconds) {
        return new TcpCounters(seconds,
                delta(before, after, "TcpExt.TCPSynRetrans"),
                delta(before, after, "Tcp.ActiveOpens"),
                delta(before, after, "TcpExt.ListenOverflows"),
                delta(before, after, "TcpExt.ListenDrops"),
                delta(before, after, "Tcp.RetransSegs"),
                delta(before, after, "Tcp.OutSegs"));
    }

    /** Per-second rate of a change, or 0 for an unknown counter or an empty window. */
    public double perSecond(long change) {
        return change < 0 || seconds <= 0 ? 0 : change / seconds;
    }

    private static long delta(NetSnmp before, NetSnmp after, String key) {
        long a = before.get(key);
        long b = after.get(key);
        if (a < 0 || b < 0) {
            return -1;
        }
        // a counter that went backwards was reset (namespace re-created, 32-bit wrap): no change known
        return b >= a ? b - a : -1;
    }
}
