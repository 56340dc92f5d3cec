package dev.nodedoctor.accesslog;

/**
 * The {@code --format} option: {@code auto}, {@code json}, {@code elk}, {@code combined}, {@code ingress}
 * or {@code custom:'$log_format string'}.
 */
public record LogFormatChoice(Kind kind, String custom) {
    public enum Kind { AUTO, JSON, ELK, COMBINED, INGRESS, CUSTOM }

    public static final LogFormatChoice AUTO = new LogFormatChoice(Kind.AUTO, null);
    public static final String EXPECTED = "auto, json, elk, combined, ingress or custom:'<nginx log_format>'";

    public static LogFormatChoice parse(String text) {
        String t = text.trim();
        if (t.startsWith("custom:")) {
            String f = t.substring("custom:".length()).trim();
            if (f.length() >= 2 && (f.charAt(0) == '\'' || f.charAt(0) == '"') && f.charAt(f.length() - 1) == f.charAt(0)) {
                f = f.substring(1, f.length() - 1);
            }
            if (f.isBlank()) {
                throw new IllegalArgumentException("--format custom: needs an nginx log_format string");
            }
            return new LogFormatChoice(Kind.CUSTOM, f);
        }
        for (Kind k : Kind.values()) {
            if (k != Kind.CUSTOM && k.name().equalsIgnoreCase(t)) {
                return new LogFormatChoice(k, null);
            }
        }
        throw new IllegalArgumentException("unknown --format '" + text + "'; expected " + EXPECTED);
    }
}
