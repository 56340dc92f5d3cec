package dev.nodedoctor.diagnose;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Threshold values in force: the defaults, overridden by a properties file ({@code cpu.throttled.ratio=0.4}).
 * Unknown keys and non-numbers are rejected with the list of valid keys, so a typo never silently keeps
 * the default.
 */
public final class Thresholds {
    private final Map<String, Double> overrides;

    private Thresholds(Map<String, Double> overrides) {
        this.overrides = Map.copyOf(overrides);
    }

    public static Thresholds defaults() {
        return new Thresholds(Map.of());
    }

    public double get(Threshold t) {
        return overrides.getOrDefault(t.key(), t.defaultValue());
    }

    public static Thresholds load(Path file, Collection<Threshold> known) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, Threshold> byKey = new HashMap<>();
        known.forEach(t -> byKey.put(t.key(), t));
        Map<String, Double> values = new HashMap<>();
        for (String key : p.stringPropertyNames()) {
            if (!byKey.containsKey(key)) {
                throw new IllegalArgumentException(file + ": unknown threshold '" + key + "'; known: "
                        + String.join(", ", new TreeSet<>(byKey.keySet())));
            }
            String raw = p.getProperty(key).trim();
            try {
                values.put(key, Double.parseDouble(raw));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ": " + key + " = '" + raw + "' is not a number");
            }
        }
        return new Thresholds(values);
    }
}
