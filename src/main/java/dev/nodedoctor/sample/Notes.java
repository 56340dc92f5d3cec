package dev.nodedoctor.sample;

import dev.nodedoctor.sys.KernelFileException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects what a pass could not read and turns it into a few lines for the user. Thousands of
 * "permission denied" on /proc/&lt;pid&gt;/schedstat are one note with a count, not thousands; a timeout is
 * always named, because a hung kernel file is evidence.
 */
final class Notes {
    private static final int MAX_NAMED = 5;
    private final Map<KernelFileException.Kind, List<String>> byKind = new LinkedHashMap<>();
    private final List<String> plain = new ArrayList<>();

    void add(KernelFileException e) {
        byKind.computeIfAbsent(e.kind(), k -> new ArrayList<>()).add(e.getMessage());
    }

    void add(String note) {
        plain.add(note);
    }

    List<String> summary() {
        List<String> out = new ArrayList<>(plain);
        byKind.forEach((kind, messages) -> {
            if (messages.size() <= MAX_NAMED || kind == KernelFileException.Kind.TIMEOUT) {
                out.addAll(messages);
            } else {
                out.add(messages.size() + " reads failed: " + kind.words() + ", e.g. " + messages.get(0));
            }
        });
        return List.copyOf(out);
    }
}
