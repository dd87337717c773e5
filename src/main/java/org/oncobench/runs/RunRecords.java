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

    /** The folder's record, or empty when it is not (or not yet) a readable run folder. */
    public static Optional<RunRecord> read(Path dir) {
        return Optional.ofNullable(inspect(dir).record());
    }

    /**
     * What the registry can say about one folder: its record (when run.json is readable), and a problem worth telling
     * whoever rebuilds the index (run.json unreadable, a completed run without readable metrics, a run folder without
     * run.json). A completed run whose metrics.json is gone is indexed as failed, with the reason as its error.
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
        try {
            info = JSON.readValue(status.toFile(), RunInfo.class);
        } catch (IOException | RuntimeException e) {
            return new Reading(null, "run.json is not valid JSON (" + firstLine(e.getMessage()) + ")");
        }
        if (info.id() == null || info.started() == null || info.status() == null) {
            return new Reading(null, "run.json lacks id, status or started");
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
        return new Reading(new RunRecord(info.id(), info.name(), statusLabel, info.started(), info.finished(), info.pid(), info.configHash(),
                info.split(), info.model(), metric, value, best, baseline, duration, error, info.group(), info.study(), info.params()), problem);
    }

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
