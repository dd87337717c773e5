package org.oncobench.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files of a run folder the workbench offers for download, by name from a fixed list (never a path from the
 * request, so nothing outside the run folder or beside these files can be asked for), each with its content type. Only
 * files that exist, as regular files and not links, are listed and served.
 */
final class RunArtifacts {
    /** Name to content type, in the order the run page lists them. */
    static final Map<String, String> TYPES = types();

    /** One file of a run: its name, size and content type. */
    record Artifact(String name, long bytes, String type, Path file) {
    }

    private RunArtifacts() {
    }

    private static Map<String, String> types() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("report.html", "text/html");
        m.put("report.md", "text/markdown");
        m.put("predictions.csv", "text/csv");
        m.put("metrics.json", "application/json");
        m.put("model.zip", "application/zip");
        m.put("explanations.csv", "text/csv");
        m.put("experiment.yaml", "application/yaml");
        m.put("provenance.json", "application/json");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The downloadable files the run folder holds, in the listed order. */
    static List<Artifact> of(Path runDir) {
        List<Artifact> out = new ArrayList<>();
        for (String name : TYPES.keySet()) {
            find(runDir, name).ifPresent(out::add);
        }
        return out;
    }

    /** The named file of the run, when the name is one of the list and the file exists (a regular file, not a link). */
    static Optional<Artifact> find(Path runDir, String name) {
        String type = TYPES.get(name);
        if (type == null) {
            return Optional.empty();
        }
        Path file = runDir.resolve(name);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Artifact(name, Files.size(file), type, file));
        } catch (IOException e) {
            return Optional.empty(); // removed between the check and now
        }
    }

    /** A text type is sent with its charset; a zip without. */
    static String contentType(Artifact a) {
        return a.type().startsWith("text/") || a.type().endsWith("json") || a.type().endsWith("yaml") ? a.type() + "; charset=utf-8" : a.type();
    }
}
