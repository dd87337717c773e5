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

    /** On resume, before any fold trains: the interrupted attempt's lines go; a restored checkpoint puts its own back. */
    synchronized void clear() {
        rewrite(null, java.util.List.of());
    }

    /** On resume: the log becomes exactly the checkpoint's history, so epochs redone after it are not listed twice. */
    synchronized void rewrite(Fold fold, java.util.List<EpochRecord> records) {
        StringBuilder sb = new StringBuilder();
        for (EpochRecord r : records) {
            sb.append(Json.compact(line(fold, r))).append('\n');
        }
        try {
            Path tmp = file.resolveSibling(".history.jsonl.tmp");
            Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
            RunFolder.moveIntoPlace(tmp, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + file, e);
        }
    }

    private static Map<String, Object> line(Fold fold, EpochRecord r) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("repeat", fold.repeat() + 1);
        line.put("fold", fold.fold() + 1);
        line.putAll(r.toMap());
        return line;
    }

    synchronized void append(Fold fold, EpochRecord r) {
        try {
            Files.writeString(file, Json.compact(line(fold, r)) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }
}
