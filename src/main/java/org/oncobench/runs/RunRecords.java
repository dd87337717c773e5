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

    private RunRecords() {
    }

    public static Optional<RunRecord> read(Path dir) {
        Path status = dir.resolve(RunFolder.STATUS_FILE);
        if (!Files.isRegularFile(status)) {
            return Optional.empty();
        }
        try {
            RunInfo info = JSON.readValue(status.toFile(), RunInfo.class);
            String metric = null;
            Double value = null;
            String best = null;
            Double baseline = null;
            Path metricsFile = dir.resolve("metrics.json");
            if (Files.isRegularFile(metricsFile)) {
                JsonNode m = JSON.readTree(metricsFile.toFile());
                metric = "classification".equals(m.path("task").asText()) ? "auc" : "rmse";
                value = number(m.path("test").path(metric));
                best = m.path("best_baseline").isTextual() ? m.path("best_baseline").asText() : null;
                baseline = best == null ? null : number(m.path("baselines").path(best).path(metric));
            }
            Double duration = info.finished() == null ? null
                    : Duration.between(Instant.parse(info.started()), Instant.parse(info.finished())).toMillis() / 1000.0;
            return Optional.of(new RunRecord(info.id(), info.name(), info.status(), info.started(), info.finished(), info.pid(), info.configHash(),
                    info.split(), info.model(), metric, value, best, baseline, duration, info.error()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // a folder being written or not a run: skipped, the others still index
        }
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
