package dev.nodedoctor.kernel;

import java.util.Map;

/**
 * One line of a kernel log, whatever tool printed it. Every field but {@code text} may be absent (null): a
 * {@code dmesg -t} line has only text, a syslog line has a wall-clock time and a host, a {@code /dev/kmsg}
 * record has a level, facility, sequence number and microseconds since boot.
 *
 * @param line          1-based line number in the input (kmsg: the record's first line)
 * @param format        which printer produced the line (detected per line)
 * @param uptimeSeconds seconds since boot ({@code [  123.456789]}, kmsg usec / 1e6, or the {@code [...]} inside
 *                      a syslog line), null if not printed
 * @param wallClock     the wall-clock time as printed (syslog {@code Nov 26 03:00:00}, {@code dmesg -T}
 *                      {@code Thu Nov 26 03:00:00 2026}, RFC 3339); kept as text because syslog has no year or
 *                      zone; null if not printed
 * @param host          syslog / journal host name, null if not printed
 * @param program       syslog tag ({@code kernel}, {@code dockerd[931]}); null when the source is kernel-only
 * @param level         kmsg / {@code dmesg -r} log level 0 (emerg) .. 7 (debug), null if not printed
 * @param facility      kmsg facility (0 = kernel), null if not printed
 * @param sequence      kmsg record sequence number, null if not printed
 * @param caller        {@code CONFIG_PRINTK_CALLER} tag: {@code T1234} (task) or {@code C1} (CPU), null if absent
 * @param text          the message text, without any prefix
 * @param dictionary    kmsg dictionary lines ({@code SUBSYSTEM=acpi}) that followed the record; empty otherwise
 */
public record KernelLogLine(long line, Format format, Double uptimeSeconds, String wallClock, String host,
                            String program, Integer level, Integer facility, Long sequence, String caller,
                            String text, Map<String, String> dictionary) {

    /** The printers whose output is recognised. Anything else is {@link #TEXT}: kept, never an error. */
    public enum Format {
        /** {@code /dev/kmsg}: {@code pri,seq,usec,flags[,caller=T1];text}. */
        KMSG,
        /** {@code dmesg}: {@code [  123.456789] text}, also {@code dmesg -r} ({@code <6>[ 1.2] text}). */
        DMESG,
        /** {@code dmesg -T}: {@code [Thu Nov 26 03:00:00 2026] text}. */
        DMESG_CTIME,
        /** syslog / kern.log / {@code journalctl -k} (short, short-iso): {@code Nov 26 03:00:00 host kernel: text}. */
        SYSLOG,
        /** {@code journalctl -k -o short-monotonic}: {@code [  123.456789] host kernel: text}. */
        JOURNAL_MONOTONIC,
        /** No recognised prefix: {@code dmesg -t}, or an unknown line. */
        TEXT
    }

    public KernelLogLine {
        dictionary = dictionary == null ? Map.of() : dictionary;
    }

    /** Whether the kernel wrote this line (a syslog file also holds lines of other programs). */
    public boolean fromKernel() {
        return program == null || program.equals("kernel") || program.startsWith("kernel[");
    }

    /** A short time label for tables: seconds since boot if known, else the wall clock, else "-". */
    public String timeLabel() {
        if (uptimeSeconds != null) {
            return String.format(java.util.Locale.ROOT, "%.6f", uptimeSeconds);
        }
        return wallClock != null ? wallClock : "-";
    }

    KernelLogLine withDictionary(Map<String, String> dict) {
        return new KernelLogLine(line, format, uptimeSeconds, wallClock, host, program, level, facility, sequence,
                caller, text, dict);
    }
}
