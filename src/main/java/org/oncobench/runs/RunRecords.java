package org.oncobench.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Reads a run folder (run.json, metrics.json) into the record the registry indexes; the folder is the source of truth. */
public final class RunRecords {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.regex.Pattern RUN_FOLDER = java.util.regex.Pattern.compile("\\d{8}-\\d{6}-.+");

    private RunRecords() {
    }

    /** The folder's record (status damaged when its run.json is unreadable), or empty when it has no run.json. */
    public static Optional<RunRecord> read(Path dir) {
        return Optional.ofNullable(inspect(dir).record());
    }

    /**
     * What the registry can say about one folder: its record (when it has a run.json), and a problem worth telling
     * whoever rebuilds the index (run.json unreadable, a completed run without readable metrics, a run folder without
     * run.json). A completed run whose metrics.json is gone or empty is indexed as failed, with the reason as its error;
     * a folder whose run.json cannot be read is indexed as damaged (its id is the folder's name), so it stays visible.
     */
    public record Reading(RunRecord record, String problem) {
    }

    public static Reading inspect(Path dir) {
        Path status = dir.resolve(RunFolder.STATUS_FILE);
        if (!Files.isRegularFile(status)) {
            return new Reading(null, RUN_FOLDER.matcher(dir.getFileName().toString()).matches()
                    ? "no run.json (a run that never got past its first moment, or a copied folder)" : null);
        }
        RunInfo info;
        String folder = dir.getFileName().toString();
        try {
            info = JSON.readValue(status.toFile(), RunInfo.class);
        } catch (IOException | RuntimeException e) {
            String problem = "run.json is not valid JSON (" + firstLine(e.getMessage()) + ")";
            return new Reading(RunRecord.damaged(folder, problem), problem);
        }
        if (info == null || info.id() == null || info.started() == null || info.status() == null) {
            String problem = "run.json lacks id, status or started";
            return new Reading(RunRecord.damaged(folder, problem), problem);
        }
        String metric = null;
        Double value = null;
        String best = null;
        Double baseline = null;
        String problem = null;
        String statusLabel = info.status();
        String error = info.error();
        Path metricsFile = dir.resolve("metrics.json");
        if (Files.isRegularFile(metricsFile)) {
            try {
                JsonNode m = JSON.readTree(metricsFile.toFile());
                if (m == null || !m.isObject() || m.isEmpty()) {
                    throw new IllegalStateException(m == null || m.isMissingNode() ? "empty file" : "not a JSON object of metrics");
                }
                metric = "classification".equals(m.path("task").asText()) ? "auc" : "rmse";
                value = number(m.path("test").path(metric));
                best = m.path("best_baseline").isTextual() ? m.path("best_baseline").asText() : null;
                baseline = best == null ? null : number(m.path("baselines").path(best).path(metric));
            } catch (IOException | RuntimeException e) {
                problem = "metrics.json is not valid JSON (" + firstLine(e.getMessage()) + ")";
            }
        } else if (RunStatus.COMPLETED.label().equals(statusLabel)) {
            problem = "marked completed but metrics.json is missing";
        }
        if (problem != null && RunStatus.COMPLETED.label().equals(statusLabel)) {
            statusLabel = RunStatus.FAILED.label();
            error = problem;
        }
        Double duration = null;
        try {
            duration = info.finished() == null ? null
                    : Duration.between(Instant.parse(info.started()), Instant.parse(info.finished())).toMillis() / 1000.0;
        } catch (RuntimeException e) {
            problem = problem == null ? "run.json has unreadable times" : problem;
        }
        RunAnnotations notes;
        try {
            notes = RunAnnotations.read(dir);
        } catch (RuntimeException e) {
            notes = RunAnnotations.NONE;
            problem = problem == null ? e.getMessage() : problem;
        }
        return new Reading(new RunRecord(info.id(), info.name(), statusLabel, info.started(), info.finished(), info.pid(), info.configHash(),
                info.split(), info.model(), metric, value, best, baseline, duration, error, info.group(), info.study(), info.params(),
                notes.tags(), notes.note(), info.overrides()), problem);
    }

    /**
     * What the index remembers of a folder to notice later that it changed by hand: size and modification time of
     * run.json, metrics.json and tags.json ("-" for an absent file). A vanished folder stamps as "-;-;-".
     */
    public static String stamp(Path dir) {
        StringBuilder out = new StringBuilder();
        for (String name : STAMPED) {
            if (!out.isEmpty()) {
                out.append(';');
            }
            try {
                java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(dir.resolve(name), java.nio.file.attribute.BasicFileAttributes.class);
                out.append(a.size()).append(':').append(a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS));
            } catch (IOException e) {
                out.append('-');
            }
        }
        return out.toString();
    }

    /** The stamp of a folder that is gone. */
    public static final String GONE = "-;-;-";
    private static final String[] STAMPED = {RunFolder.STATUS_FILE, "metrics.json", RunAnnotations.FILE};

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private static Double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : null;
    }

    /**
     * What a reader should see: a run still marked running whose process is gone (killed, crashed, machine restarted)
     * is interrupted and can be resumed.
     */
    public static RunRecord effective(RunRecord r) {
        if (!RunStatus.RUNNING.label().equals(r.status())) {
            return r;
        }
        boolean alive = ProcessHandle.of(r.pid()).map(p -> p.isAlive() && p.info().startInstant()
                .map(start -> !start.isAfter(Instant.parse(r.started()).plusSeconds(5))).orElse(true)).orElse(false);
        return alive ? r : r.withStatus(RunStatus.INTERRUPTED.label());
    }
}
