package org.oncobench.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.oncobench.config.BadInputException;
import org.oncobench.data.DelimitedFile;
import org.oncobench.runs.RunComparison;
import org.oncobench.runs.RunRecord;
import org.oncobench.runs.RunRecords;
import org.oncobench.runs.RunStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run's folder, read on demand: {@link #metrics()} (the model beside every baseline), {@link #perDrug()},
 * {@link #perGroup(String)}, {@link #history()}, {@link #predictions()}, the resolved configuration.
 */
public final class Run implements HtmlDisplayable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final String id;

    Run(RunStore store, String id) {
        this.dir = store.dirOf(id);
        this.id = id;
    }

    public String id() {
        return id;
    }

    public Path dir() {
        return dir;
    }

    /** Status, times, split, model and headline metric as the run index has them. */
    public RunRecord record() {
        return RunRecords.read(dir).map(RunRecords::effective).orElseThrow(() -> new BadInputException(dir + ": not a run folder"));
    }

    /** metrics.json as it is (empty when the run has not finished). */
    public JsonNode json() {
        JsonNode m = RunComparison.readJson(dir.resolve("metrics.json"));
        return m == null ? JSON.createObjectNode() : m;
    }

    /** The resolved experiment (overrides applied, defaults filled). */
    public String config() {
        try {
            return Files.readString(dir.resolve("experiment.yaml"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException(dir.resolve("experiment.yaml") + ": unreadable (" + e.getMessage() + ")");
        }
    }

    public boolean classification() {
        return "classification".equals(json().path("task").asText());
    }

    /** The model and each baseline on the same test rows: one row per predictor, one column per metric. */
    public Table metrics() {
        JsonNode m = json();
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(row("model (" + m.path("model").path("kind").asText() + ")", m.path("test")));
        m.path("baselines").fields().forEachRemaining(e -> rows.add(row(e.getKey(), e.getValue())));
        return Table.of("test metrics of " + id, rows);
    }

    private static Map<String, Object> row(String name, JsonNode metrics) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("predictor", name);
        metrics.fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode()) {
                r.put(e.getKey(), value(e.getValue()));
            }
        });
        return r;
    }

    static Object value(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        return v.asText();
    }

    static Table rows(String title, JsonNode array) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode r : array) {
            Map<String, Object> m = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = r.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isValueNode()) {
                    m.put(e.getKey(), value(e.getValue()));
                }
            }
            rows.add(m);
        }
        return Table.of(title, rows);
    }

    /** The model's metrics on each drug's test rows. */
    public Table perDrug() {
        return rows("per drug, " + id, json().path("per_drug").path("drugs"));
    }

    /** The model's metrics per group of a {@code data.groups} column (e.g. tissue). */
    public Table perGroup(String group) {
        JsonNode g = json().path("per_group").path(group);
        if (g.isMissingNode()) {
            List<String> names = new ArrayList<>();
            json().path("per_group").fieldNames().forEachRemaining(names::add);
            throw new IllegalArgumentException("run " + id + " has no per-group metrics for '" + group + "'; it has: " + names);
        }
        return rows("per " + group + ", " + id, g.path("rows"));
    }

    /** One row per epoch (and fold): training loss and the validation metric, as history.jsonl has them. */
    public Table history() {
        Path file = dir.resolve("history.jsonl");
        List<Map<String, Object>> rows = new ArrayList<>();
        if (Files.isRegularFile(file)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        JSON.readTree(line).fields().forEachRemaining(e -> m.put(e.getKey(), value(e.getValue())));
                        rows.add(m);
                    }
                }
            } catch (IOException e) {
                throw new BadInputException(file + ": unreadable (" + e.getMessage() + ")");
            }
        }
        return Table.of("history of " + id, rows);
    }

    /** The test predictions: sample, drug, observed, predicted, fold, repeat. */
    public Table predictions() {
        Path file = dir.resolve("predictions.csv");
        List<Map<String, Object>> rows = new ArrayList<>();
        if (Files.isRegularFile(file)) {
            try (DelimitedFile in = DelimitedFile.open(file)) {
                String[] header = in.header();
                for (String[] r = in.next(); r != null; r = in.next()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    for (int c = 0; c < header.length; c++) {
                        m.put(header[c], switch (header[c]) {
                            case "observed", "predicted" -> Double.parseDouble(r[c]);
                            case "fold", "repeat" -> Long.parseLong(r[c]);
                            default -> r[c];
                        });
                    }
                    rows.add(m);
                }
            }
        }
        return Table.of("test predictions of " + id, rows);
    }

    @Override
    public String toHtml() {
        RunRecord r = record();
        StringBuilder sb = new StringBuilder("<div><b>Run ").append(Table.esc(id)).append("</b>: ").append(Table.esc(r.status()))
                .append(", ").append(Table.esc(String.valueOf(r.split()))).append(" split, ").append(Table.esc(String.valueOf(r.model())))
                .append(" model");
        if (r.value() != null) {
            sb.append("; ").append(r.metric()).append(' ').append(Table.format(r.value()));
            if (r.bestBaseline() != null) {
                sb.append(" beside the best baseline (").append(Table.esc(r.bestBaseline())).append(") ").append(Table.format(r.baselineValue()));
            }
        }
        sb.append("</div>");
        if (Files.isRegularFile(dir.resolve("metrics.json"))) {
            sb.append(metrics().toHtml());
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Run " + id + " (" + dir + ")" + (Files.isRegularFile(dir.resolve("metrics.json")) ? "\n" + metrics() : "");
    }
}
