package dev.nodedoctor.kernel;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The table of kernel-log problems ({@code kernel-events.json} beside this class), and the matcher that
 * applies it to lines. Adding a problem is adding a row to the JSON, not code, as node-problem-detector does
 * with its kernel-monitor.json.
 */
public final class KernelEventRules {
    /** The rules shipped with nodedoctor. */
    public static final String RESOURCE = "/dev/nodedoctor/kernel/kernel-events.json";

    /** One row of the table. */
    public record Rule(String kind, String group, String reason, KernelEvent.Severity severity, String needle,
                       Pattern pattern, List<String> groupNames) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RuleJson(String kind, String group, String reason, String severity, String needle, String pattern) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record TableJson(List<RuleJson> rules) {
    }

    private static final Pattern GROUP_NAME = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");
    private static volatile KernelEventRules builtIn;

    private final List<Rule> rules;

    private KernelEventRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The shipped table (loaded once). */
    public static KernelEventRules builtIn() {
        KernelEventRules r = builtIn;
        if (r == null) {
            try (InputStream in = KernelEventRules.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + RESOURCE);
                }
                r = load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            builtIn = r;
        }
        return r;
    }

    /** Reads a table; a bad row is an {@link IllegalArgumentException} that names it. */
    public static KernelEventRules load(InputStream json) throws IOException {
        TableJson table = new ObjectMapper().readValue(json, TableJson.class);
        if (table.rules() == null || table.rules().isEmpty()) {
            throw new IllegalArgumentException("kernel event table has no rules");
        }
        List<Rule> out = new ArrayList<>();
        Set<String> kinds = new LinkedHashSet<>();
        for (RuleJson j : table.rules()) {
            String where = "kernel event rule " + (j.kind() == null ? "#" + (out.size() + 1) : j.kind());
            if (j.kind() == null || j.group() == null || j.reason() == null || j.severity() == null
                    || j.needle() == null || j.needle().isEmpty() || j.pattern() == null) {
                throw new IllegalArgumentException(where + ": kind, group, reason, severity, needle and pattern are all required");
            }
            if (!kinds.add(j.kind())) {
                throw new IllegalArgumentException(where + ": kind appears twice");
            }
            KernelEvent.Severity severity;
            try {
                severity = KernelEvent.Severity.valueOf(j.severity().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": severity must be info, warning or critical, not " + j.severity());
            }
            Pattern p;
            try {
                p = Pattern.compile(j.pattern());
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(where + ": bad pattern: " + e.getDescription());
            }
            List<String> names = new ArrayList<>();
            Matcher m = GROUP_NAME.matcher(j.pattern());
            while (m.find()) {
                names.add(m.group(1));
            }
            out.add(new Rule(j.kind(), j.group(), j.reason(), severity, j.needle(), p, List.copyOf(names)));
        }
        return new KernelEventRules(out);
    }

    public List<Rule> rules() {
        return rules;
    }

    /** Every kind and group a --kind filter may name. */
    public Set<String> kindsAndGroups() {
        Set<String> s = new LinkedHashSet<>();
        for (Rule r : rules) {
            s.add(r.group());
        }
        for (Rule r : rules) {
            s.add(r.kind());
        }
        return s;
    }

    /** The first rule that matches the line, as an event; empty for an ordinary line or a non-kernel line. */
    public Optional<KernelEvent> match(KernelLogLine line) {
        if (!line.fromKernel()) {
            return Optional.empty();
        }
        String text = line.text();
        for (Rule r : rules) {
            if (!text.contains(r.needle())) {
                continue;
            }
            Matcher m = r.pattern().matcher(text);
            if (!m.find()) {
                continue;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (String name : r.groupNames()) {
                String v = m.group(name);
                if (v != null) {
                    fields.put(name, v);
                }
            }
            return Optional.of(new KernelEvent(r.kind(), r.group(), r.reason(), r.severity(), line, fields));
        }
        return Optional.empty();
    }
}
