package org.oncobench.train;

import org.oncobench.data.Fold;
import org.oncobench.runs.Json;
import org.oncobench.runs.RunFolder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code history.jsonl}: one JSON line per finished epoch (fold, epoch, training loss, validation metric), appended as
 * training goes, so the UI can draw training and validation curves of a running run.
 */
final class HistoryLog {
    private final Path file;

    HistoryLog(RunFolder run) {
        this.file = run.file("history.jsonl");
    }

    synchronized void append(Fold fold, EpochRecord r) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("repeat", fold.repeat() + 1);
        line.put("fold", fold.fold() + 1);
        line.putAll(r.toMap());
        try {
            Files.writeString(file, Json.compact(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }
}
