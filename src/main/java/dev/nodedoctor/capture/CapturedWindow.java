package dev.nodedoctor.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.nodedoctor.cgroup.CgroupLayout;
import dev.nodedoctor.sample.Sampler;
import dev.nodedoctor.sample.Snapshot;
import dev.nodedoctor.sys.KernelFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A capture holds two moments of the same node: the tree at its top (the later moment) and the earlier one
 * under {@value #BEFORE}, with the seconds between them in {@value #MANIFEST}. With both, `diagnose --root`
 * computes real rates (CPU %, throttling) from a bundle taken elsewhere.
 */
public record CapturedWindow(Path before, double seconds) {
    public static final String BEFORE = "nodedoctor-before";
    public static final String MANIFEST = "nodedoctor-capture.json";

    /**
     * The two moments of a capture as snapshots {@link #seconds} apart, or empty when {@code files} is live
     * or a tree with one moment. The earlier moment is read with the same deadline as the later.
     */
    public static Optional<Snapshot[]> snapshots(KernelFiles files, Sampler sampler, Sampler.Options options) {
        Optional<CapturedWindow> window = files.isLive() ? Optional.empty() : of(files.root());
        if (window.isEmpty()) {
            return Optional.empty();
        }
        Snapshot first;
        try (KernelFiles before = KernelFiles.at(window.get().before(), files.deadline())) {
            first = new Sampler(before, CgroupLayout.discover(before), options).snapshot();
        }
        Snapshot s = sampler.snapshot();
        Snapshot second = s.at(first.monotonicNanos() + Math.round(window.get().seconds() * 1e9));
        return Optional.of(new Snapshot[] {first, second});
    }

    /** The earlier moment of a capture at {@code root}, if it has one. */
    public static Optional<CapturedWindow> of(Path root) {
        Path before = root.resolve(BEFORE);
        Path manifest = root.resolve(MANIFEST);
        if (!Files.isDirectory(before) || !Files.isRegularFile(manifest)) {
            return Optional.empty();
        }
        try {
            JsonNode m = new ObjectMapper().readTree(manifest.toFile());
            double seconds = m.path("windowSeconds").asDouble(-1);
            return seconds > 0 ? Optional.of(new CapturedWindow(before, seconds)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
