package dev.nodedoctor.host;

import dev.nodedoctor.sys.Cursor;
import dev.nodedoctor.sys.Parser;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Files of {@code key value} lines (memory.stat, /proc/vmstat, memory.events) or {@code Key: value kB} lines
 * (/proc/meminfo), read whole into an ordered map. For one-shot views where every key matters; the hot
 * sampling path uses {@link Cursor#keyed} with a fixed key list instead.
 */
public final class FlatKeyed {
    private FlatKeyed() {
    }

    public static final Parser<Map<String, Long>> PARSER = FlatKeyed::parse;

    public static Map<String, Long> parse(byte[] data, int length) throws Parser.MalformedException {
        Map<String, Long> out = new LinkedHashMap<>();
        Cursor c = new Cursor(data, length);
        while (!c.atEnd()) {
            c.skipBlanks();
            int start = c.position();
            while (!c.atEnd() && c.peek() != ' ' && c.peek() != '\t' && c.peek() != ':' && c.peek() != '\n') {
                c.position(c.position() + 1);
            }
            int end = c.position();
            if (end > start) {
                if (c.peek() == ':') {
                    c.position(c.position() + 1);
                }
                if (!c.atNumber()) {
                    if (c.atEnd()) {
                        break; // the file was cut inside its last line: keep the complete lines before it
                    }
                    throw new Parser.MalformedException("no number after '"
                            + new String(data, start, end - start, StandardCharsets.UTF_8) + "'");
                }
                out.put(new String(data, start, end - start, StandardCharsets.US_ASCII), c.nextLong());
            }
            if (!c.nextLine()) {
                break;
            }
        }
        return out;
    }
}
