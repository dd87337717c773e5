package org.oncobench.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.oncobench.config.BadInputException;
import org.oncobench.runs.Json;
import org.oncobench.runs.RunFolder;
import org.oncobench.runs.RunStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A study's folder {@code RUNS_DIR/studies/STUDY_ID/}: {@code study.yaml} (resolved; what resume reads),
 * {@code experiment.yaml} (the base experiment with {@code set:} applied, so a later edit of the original cannot change
 * a resumed study), {@code study.json} (status, pid, times), {@code trials.jsonl} (append-only events, each line synced
 * before the study goes on, so a kill -9 loses at most the line being written) and {@code leaderboard.json} (rewritten
 * atomically after every finished job). Trials' runs live in the runs folder like any run, tagged with the study id.
 */
public final class StudyFolder {
    public static final String DIR = "studies";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String id;
    private final Path dir;

    private StudyFolder(String id, Path dir) {
        this.id = id;
        this.dir = dir;
    }

    public static StudyFolder create(RunStore store, String name) {
        Path root = store.root().resolve(DIR);
        SecureRandom random = new SecureRandom();
        try {
            Files.createDirectories(root);
            for (int attempt = 0; attempt < 100; attempt++) {
                byte[] suffix = new byte[2];
                random.nextBytes(suffix);
                String id = STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)) + "-" + name + "-" + HexFormat.of().formatHex(suffix);
                try {
                    Files.createDirectory(root.resolve(id));
                    return new StudyFolder(id, root.resolve(id));
                } catch (FileAlreadyExistsException e) {
                    // another study took this id in the same second: draw again
                }
            }
        } catch (IOException e) {
            throw new BadInputException(root + ": cannot create the study folder (" + e.getMessage() + ")");
        }
        throw new IllegalStateException("no free study id under " + root);
    }

    /** An existing study; ids that are not plain names are refused. */
    public static StudyFolder open(RunStore store, String id) {
        if (id == null || !id.matches("[A-Za-z0-9._-]{1,128}") || id.startsWith(".")) {
            throw new BadInputException("'" + id + "' is not a study id; ids look like 20261123-101500-study-quickstart-3fa2 (see 'oncobench study list')");
        }
        Path dir = store.root().resolve(DIR).resolve(id);
        if (!Files.isRegularFile(dir.resolve("study.json"))) {
            throw new BadInputException("no study '" + id + "' in " + store.root().resolve(DIR) + " (see 'oncobench study list --runs-dir DIR')");
        }
        return new StudyFolder(id, dir);
    }

    /** Every study of the runs folder, newest first. */
    public static List<StudyFolder> list(RunStore store) {
        Path root = store.root().resolve(DIR);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("study.json"))).sorted(java.util.Comparator.reverseOrder())
                    .map(p -> new StudyFolder(p.getFileName().toString(), p)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(root.toString(), e);
        }
    }

    public String id() {
        return id;
    }

    public Path dir() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    public void write(String name, String text) {
        Path target = dir.resolve(name);
        Path tmp = dir.resolve("." + name + ".tmp");
        try {
            Files.writeString(tmp, text);
            RunFolder.moveIntoPlace(tmp, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    public void writeJson(String name, Object value) {
        write(name, Json.write(value));
    }

    /** The study's status record, as a reader should see it: running with a dead process is interrupted. */
    public Map<String, Object> info() {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = JSON.readValue(dir.resolve("study.json").toFile(), LinkedHashMap.class);
            if ("running".equals(m.get("status")) && !alive(((Number) m.getOrDefault("pid", -1)).longValue(), String.valueOf(m.get("started")))) {
                m.put("status", "interrupted");
            }
            return m;
        } catch (IOException e) {
            throw new BadInputException(dir.resolve("study.json") + ": unreadable (" + e.getMessage() + ")");
        }
    }

    static boolean alive(long pid, String started) {
        return ProcessHandle.of(pid).map(p -> p.isAlive() && p.info().startInstant()
                .map(s -> !s.isAfter(Instant.parse(started).plusSeconds(5))).orElse(true)).orElse(false);
    }

    /** Appends one event line and syncs it to disk before returning. */
    public synchronized void append(Map<String, Object> event) {
        byte[] line = (Json.compact(event) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(dir.resolve("trials.jsonl"), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(line));
            ch.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + dir.resolve("trials.jsonl"), e);
        }
    }

    /** The events so far; a last line cut short by a kill is ignored. */
    public List<JsonNode> events() {
        Path f = dir.resolve("trials.jsonl");
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(f)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(f)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode n = JSON.readTree(line);
                    if (n instanceof ObjectNode) {
                        out.add(n);
                    }
                } catch (IOException torn) {
                    // a line the killed process did not finish writing
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(f.toString(), e);
        }
        return out;
    }
}
