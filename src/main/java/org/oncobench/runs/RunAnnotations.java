package org.oncobench.runs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.oncobench.config.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a researcher says about a run after the fact, in its {@code tags.json}: tags ({@code owner=ana}) and one note.
 * Kept apart from run.json (which the run itself rewrites while it runs, and which provenance never edits), so tagging a
 * running run loses nothing.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunAnnotations(@JsonProperty("tags") Map<String, String> tags,
                             @JsonProperty("note") @JsonInclude(JsonInclude.Include.NON_NULL) String note) {
    public static final String FILE = "tags.json";
    private static final String KEY = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}";
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final RunAnnotations NONE = new RunAnnotations(Map.of(), null);

    public RunAnnotations {
        tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(tags));
        note = note == null || note.isBlank() ? null : note;
    }

    /** A folder's annotations (none when it has no tags.json); an unreadable file is reported, never guessed at. */
    public static RunAnnotations read(Path runDir) {
        Path file = runDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return NONE;
        }
        try {
            RunAnnotations a = JSON.readValue(file.toFile(), RunAnnotations.class);
            return a == null ? NONE : a;
        } catch (IOException e) {
            throw new BadInputException(file + " is not valid JSON (" + e.getMessage().lines().findFirst().orElse("")
                    + "); fix it or delete it (it holds only the run's tags and note)");
        }
    }

    /**
     * These annotations with {@code KEY=VALUE} assignments applied ({@code KEY=} removes the tag). A malformed assignment
     * names itself and the allowed form.
     */
    public RunAnnotations tag(java.util.List<String> assignments) {
        Map<String, String> next = new LinkedHashMap<>(tags);
        for (String a : assignments) {
            int eq = a.indexOf('=');
            String key = eq < 0 ? a : a.substring(0, eq).trim();
            if (eq < 0 || !key.matches(KEY)) {
                throw new BadInputException("tag '" + a + "': expected KEY=VALUE (KEY: letters, digits, _ . -, at most 64; KEY= removes the tag), "
                        + "e.g. owner=ana");
            }
            String value = a.substring(eq + 1);
            if (value.isEmpty()) {
                next.remove(key);
            } else {
                next.put(key, value);
            }
        }
        return new RunAnnotations(next, note);
    }

    public RunAnnotations withNote(String text) {
        return new RunAnnotations(tags, text);
    }
}
