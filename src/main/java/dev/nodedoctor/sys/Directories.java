package dev.nodedoctor.sys;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/**
 * The directory operations of the reader thread ({@link KernelFiles}): listing, walking a cgroup hierarchy,
 * and reading the links of /proc/PID/fd. Pure functions of the path they are given, run on the reader thread
 * so a hung readdir stalls it and not the caller.
 */
final class Directories {
    private Directories() {
    }

    static List<String> walk(Path top, String path, int maxDepth, ReadRecorder recorder) throws KernelFileException {
        List<String> out = new ArrayList<>();
        list(top, path, true, recorder); // the top must exist: a missing top is an error, not an empty tree
        Deque<String> todo = new ArrayDeque<>();
        todo.add("");
        while (!todo.isEmpty()) {
            String rel = todo.pollFirst();
            if (!rel.isEmpty()) {
                out.add(rel);
            }
            int depth = rel.isEmpty() ? 0 : (int) rel.chars().filter(ch -> ch == '/').count() + 1;
            if (depth >= maxDepth) {
                continue;
            }
            List<String> children;
            try {
                children = list(rel.isEmpty() ? top : top.resolve(rel),
                        rel.isEmpty() ? path : path + "/" + rel, true, recorder);
            } catch (KernelFileException e) {
                if (e.kind() == KernelFileException.Kind.MISSING) {
                    continue; // removed while we walked
                }
                throw e;
            }
            List<String> sorted = new ArrayList<>(children);
            Collections.sort(sorted);
            for (int i = sorted.size() - 1; i >= 0; i--) {
                String child = rel.isEmpty() ? sorted.get(i) : rel + "/" + sorted.get(i);
                todo.addFirst(child);
            }
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
        }
        return out;
    }

    static List<String> linkTargets(Path dir, String path, List<String> prefixes) throws KernelFileException {
        List<String> found = new ArrayList<>();
        for (String name : list(dir, path, false, null)) {
            String target;
            try {
                target = Files.readSymbolicLink(dir.resolve(name)).toString();
            } catch (IOException | UnsupportedOperationException e) {
                continue; // closed since the listing, or not a link
            }
            for (String prefix : prefixes) {
                if (target.startsWith(prefix)) {
                    found.add(target);
                    break;
                }
            }
        }
        return Collections.unmodifiableList(found);
    }

    static List<String> list(Path dir, String path, boolean directoriesOnly, ReadRecorder recorder) throws KernelFileException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (directoriesOnly && !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                names.add(entry.getFileName().toString());
            }
        } catch (IOException | java.nio.file.DirectoryIteratorException e) {
            IOException io = e instanceof IOException ? (IOException) e : ((java.nio.file.DirectoryIteratorException) e).getCause();
            throw KernelFileException.of(io, path);
        }
        if (recorder != null) {
            recorder.directory(path);
        }
        return Collections.unmodifiableList(names);
    }
}
