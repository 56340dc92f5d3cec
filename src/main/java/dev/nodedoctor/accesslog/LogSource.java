package dev.nodedoctor.accesslog;

import dev.nodedoctor.bytes.Words;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * One log stream (a file or stdin, plain or gzipped, detected by its magic bytes) read record by record in
 * a fixed buffer: memory does not grow with the file. The format is detected from the first lines unless
 * given. A line that does not parse is counted and skipped (the first few are kept with their line number);
 * a stream that breaks off (a truncated gzip) ends the source with a note, keeping what was read.
 */
public final class LogSource implements Closeable {
    public record BadLine(long line, String reason) {
    }

    /** What was read from one stream. */
    public record Stats(String name, String format, long lines, long records, long bad, List<BadLine> badSamples,
                        String brokenOff) {

        /** The stats of consecutive chunks of one file as one: line numbers continue across chunks. */
        public static Stats merge(List<Stats> chunks) {
            long lines = 0;
            long records = 0;
            long bad = 0;
            List<BadLine> samples = new ArrayList<>();
            String broken = null;
            for (Stats c : chunks) {
                for (BadLine b : c.badSamples()) {
                    if (samples.size() < SAMPLES) {
                        samples.add(new BadLine(lines + b.line(), b.reason()));
                    }
                }
                lines += c.lines();
                records += c.records();
                bad += c.bad();
                broken = broken != null ? broken : c.brokenOff();
            }
            return new Stats(chunks.get(0).name(), chunks.get(0).format(), lines, records, bad, List.copyOf(samples), broken);
        }
    }

    /** The format this source found, as a choice to open further chunks of the same file with. */
    public LogFormatChoice choice() {
        if (parser instanceof LogFormat f) {
            return new LogFormatChoice(LogFormatChoice.Kind.CUSTOM, f.format());
        }
        if (elk != null) {
            return new LogFormatChoice(LogFormatChoice.Kind.ELK, null);
        }
        return new LogFormatChoice(LogFormatChoice.Kind.JSON, null);
    }

    /** Whether the file can be read in byte ranges: line formats can, one whole _search response cannot. */
    public boolean splittable() {
        return response == null && !"empty".equals(formatName);
    }

    static final int SAMPLES = 10;
    private static final int MAX_LINE = 64 << 20;

    private final String name;
    private final InputStream in;
    private byte[] buf = new byte[1 << 20];
    private int pos;
    private int limit;
    private boolean eof;
    private long lineNo;
    private long records;
    private long bad;
    private final List<BadLine> samples = new ArrayList<>();
    private String brokenOff;
    private String formatName;
    private LineParser parser;
    private ElkHits elk;
    private ElkHits.Response response;

    private LogSource(String name, InputStream in) {
        this.name = name;
        this.in = in;
    }

    /** Opens a stream; throws {@link UnknownFormatException} when auto-detection recognises nothing. */
    public static LogSource open(String name, InputStream raw, LogFormatChoice choice, String joinField) throws IOException {
        BufferedInputStream b = new BufferedInputStream(raw, 1 << 16);
        b.mark(2);
        int m1 = b.read();
        int m2 = b.read();
        b.reset();
        InputStream in = m1 == 0x1f && m2 == 0x8b ? new GZIPInputStream(b, 1 << 16) : b;
        LogSource src = new LogSource(name, in);
        src.fill();
        src.choose(choice, joinField);
        return src;
    }

    public String name() {
        return name;
    }

    public String format() {
        return formatName;
    }

    public Stats stats() {
        return new Stats(name, formatName, lineNo, records, bad, List.copyOf(samples), brokenOff);
    }

    private void choose(LogFormatChoice choice, String joinField) throws IOException {
        switch (choice.kind()) {
            case JSON -> use("json", new JsonLineScanner(joinField));
            case COMBINED -> use("combined", new LogFormat(LogFormat.COMBINED_TIMED, joinField));
            case INGRESS -> use("ingress", new LogFormat(LogFormat.INGRESS, joinField));
            case CUSTOM -> use("custom", new LogFormat(choice.custom(), joinField));
            case ELK -> elk(joinField);
            case AUTO -> detect(joinField);
            default -> throw new IllegalStateException();
        }
    }

    private void use(String fmt, LineParser p) {
        formatName = fmt;
        parser = p;
    }

    private void elk(String joinField) throws IOException {
        elk = new ElkHits(joinField);
        formatName = "elk";
        String head = new String(buf, 0, Math.min(limit, 1 << 16), StandardCharsets.UTF_8);
        int nl = head.indexOf('\n');
        String first = nl < 0 ? head : head.substring(0, nl);
        boolean wholeResponse = head.contains("\"hits\"") && (head.contains("\"took\"") || head.contains("\"_shards\"")
                || head.contains("\"timed_out\"")) && !(first.contains("\"_source\"") && first.trim().endsWith("}"));
        if (wholeResponse) {
            formatName = "elk-search";
            response = new ElkHits.Response(new Rest());
        }
    }

    /** Tries each format on the first lines; the first format that reads a line wins. */
    private void detect(String joinField) throws IOException {
        String head = new String(buf, 0, Math.min(limit, 1 << 16), StandardCharsets.UTF_8).stripLeading();
        if (head.isEmpty()) {
            use("empty", new JsonLineScanner(joinField));
            return;
        }
        if (head.startsWith("{") && (head.contains("\"_source\"") || head.contains("\"hits\""))) {
            elk(joinField);
            return;
        }
        List<String> names = List.of("json", "ingress", "combined");
        List<LineParser> candidates = List.of(new JsonLineScanner(joinField),
                new LogFormat(LogFormat.INGRESS, joinField), new LogFormat(LogFormat.COMBINED_TIMED, joinField));
        AccessRecord probe = new AccessRecord();
        int tried = 0;
        int s = 0;
        List<String> firstErrors = new ArrayList<>();
        while (s < limit && tried < 20) {
            int e = indexOf(buf, s, limit);
            int end = e < 0 ? limit : e;
            int le = end > s && buf[end - 1] == '\r' ? end - 1 : end;
            if (le > s) {
                tried++;
                for (int k = 0; k < candidates.size(); k++) {
                    if (candidates.get(k).parse(buf, s, le, probe)) {
                        use(names.get(k), candidates.get(k));
                        return;
                    }
                    if (tried == 1) {
                        firstErrors.add(names.get(k) + ": " + candidates.get(k).error());
                    }
                }
            }
            if (e < 0) {
                break;
            }
            s = e + 1;
        }
        String sample = head.lines().findFirst().orElse("");
        throw new UnknownFormatException(name + ": unknown log format (first line: \""
                + (sample.length() > 60 ? sample.substring(0, 60) + "…" : sample) + "\"); expected JSON lines "
                + "(nginx escape=json), Elasticsearch hits, nginx combined + $request_time $upstream_connect_time "
                + "$upstream_header_time $upstream_response_time, ingress-nginx's default format, or give "
                + "--format custom:'<log_format>'");
    }

    /**
     * The next record into {@code r}; false at the end. Bad lines are counted and skipped, never thrown.
     */
    public boolean next(AccessRecord r) {
        try {
            return response != null ? nextHit(r) : nextLine(r);
        } catch (IOException e) {
            brokenOff = "input ended early after line " + lineNo + " (" + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()) + "): kept what was read";
            eof = true;
            pos = limit;
            response = null;
            return false;
        }
    }

    private boolean nextHit(AccessRecord r) throws IOException {
        JsonNode hit;
        while ((hit = response.next()) != null) {
            lineNo++;
            String err = elk.fill(hit, r);
            if (err == null) {
                records++;
                return true;
            }
            bad(err);
        }
        return false;
    }

    private boolean nextLine(AccessRecord r) throws IOException {
        while (true) {
            int e = indexOf(buf, pos, limit);
            if (e < 0) {
                if (!eof) {
                    if (pos == 0 && limit == buf.length) {
                        if (buf.length >= MAX_LINE) {
                            lineNo++;
                            bad("line longer than " + (MAX_LINE >> 20) + " MiB");
                            skipToNewline();
                            continue;
                        }
                        buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                    }
                    fill();
                    continue;
                }
                if (pos >= limit) {
                    return false;
                }
                e = limit; // last line without a newline
            }
            int s = pos;
            pos = e < limit ? e + 1 : limit;
            lineNo++;
            int le = e > s && buf[e - 1] == '\r' ? e - 1 : e;
            if (isBlank(buf, s, le)) {
                continue;
            }
            boolean ok;
            String err;
            if (elk != null) {
                err = elk.fillLine(buf, s, le, r);
                ok = err == null;
            } else {
                ok = parser.parse(buf, s, le, r);
                err = ok ? null : parser.error();
            }
            if (ok) {
                records++;
                return true;
            }
            bad(err);
        }
    }

    private void skipToNewline() throws IOException {
        while (true) {
            int e = indexOf(buf, pos, limit);
            if (e >= 0) {
                pos = e + 1;
                return;
            }
            pos = limit;
            if (eof) {
                return;
            }
            fill();
        }
    }

    private void bad(String why) {
        bad++;
        if (samples.size() < SAMPLES) {
            samples.add(new BadLine(lineNo, why));
        }
    }

    /** Moves the unread rest to the front and reads more. */
    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        while (limit < buf.length) {
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                eof = true;
                break;
            }
            limit += n;
            if (n == 0) {
                break;
            }
        }
    }

    private static int indexOf(byte[] b, int s, int e) {
        return Words.newline(b, s, e);
    }

    private static boolean isBlank(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            if (b[i] != ' ' && b[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** The buffered head followed by the rest of the stream, for the streaming JSON parser. */
    private final class Rest extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos < limit) {
                int n = Math.min(len, limit - pos);
                System.arraycopy(buf, pos, b, off, n);
                pos += n;
                return n;
            }
            return in.read(b, off, len);
        }
    }

    /** No format recognised: a usage problem the user fixes with --format. */
    public static final class UnknownFormatException extends IOException {
        public UnknownFormatException(String message) {
            super(message);
        }
    }
}
