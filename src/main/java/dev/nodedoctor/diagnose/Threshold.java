package dev.nodedoctor.diagnose;

/**
 * A named limit a rule compares against. Every default says where it comes from (kubelet, an upstream
 * alert, a kernel document) so users can judge it, and every one can be overridden in a config file.
 *
 * @param key     the config key, e.g. {@code cpu.throttled.ratio}
 * @param meaning what the number is, with its unit
 * @param origin  where the default comes from
 */
public record Threshold(String key, double defaultValue, String meaning, String origin) {
}
