package dev.nodedoctor.accesslog;

import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** nginx's three clocks: {@code $time_iso8601}, {@code $time_local} and {@code $msec}. */
public final class Timestamps {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    private Timestamps() {
    }

    /** Milliseconds since the epoch, or {@link Long#MIN_VALUE} when the text is not such a timestamp. */
    public static long parse(String text, AccessRecord.TimeKind kind) {
        try {
            return switch (kind) {
                case MSEC -> Math.round(Double.parseDouble(text) * 1000);
                case LOCAL -> ZonedDateTime.parse(text, LOCAL).toInstant().toEpochMilli();
                case ISO8601 -> OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
            };
        } catch (DateTimeParseException | NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }
}
