package org.oncobench.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.oncobench.config.BadInputException;
import org.oncobench.data.DelimitedFile;
import org.oncobench.runs.RunComparison;
import org.oncobench.runs.RunListing;
import org.oncobench.runs.RunRecord;
import org.oncobench.runs.RunRecords;
import org.oncobench.runs.RunStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON the workbench pages draw: the runs table, one run (record, configuration, provenance, metrics, curves,
 * predictions) and a comparison. Read from the run folders on every request, so running runs show their latest epoch.
 */
final class RunViews {
    /** Predicted-vs-observed charts draw at most this many points (an even stride through predictions.csv). */
    static final int MAX_POINTS = 4000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RunStore store;
    private final RunListing listing;

    RunViews(RunStore store) {
        this.store = store;
        this.listing = new RunListing(store);
    }

    /** Reads the run index into the listing's cache (the server calls it once at start, off the request path). */
    void warm() {
        try {
            listing.snapshot();
        } catch (RuntimeException e) {
            // an unreadable index is reported to the first request that needs it
        }
    }

    /** Runs per page unless the query asks for another size. */
    static final int PAGE = 100;

    /**
     * One page of runs answered from the index ({@link RunListing}): the total, how many matched, and the page. The
     * runs page polls while a run on its page is running.
     */
    JsonNode runs(String query, String status, String sort, boolean descending, int offset, int limit) {
        RunListing.Page page = listing.page(query, status, sort, descending, offset, limit);
        ObjectNode n = JSON.createObjectNode();
        n.put("total", page.total());
        n.put("matched", page.matched());
        n.put("offset", page.offset());
        n.put("limit", page.limit());
        n.put("sort", page.sort());
        n.put("order", page.descending() ? "desc" : "asc");
        n.put("query", query == null ? "" : query);
        if (page.matched() == 0 && page.total() > 0) {
            n.put("message", "0 of " + page.total() + (page.total() == 1 ? " run matches" : " runs match"));
        }
        ArrayNode out = n.putArray("runs");
        for (RunRecord r : page.runs()) {
            out.add(JSON.valueToTree(r));
        }
        return n;
    }

    /** Every study of the runs folder, newest first: status, trials, search kind and the chosen trial so far. */
    JsonNode studies() {
        ArrayNode out = JSON.createArrayNode();
        for (org.oncobench.study.StudyFolder s : org.oncobench.study.StudyFolder.list(store)) {
            ObjectNode n = JSON.valueToTree(s.info());
            JsonNode board = RunComparison.readJson(s.file("leaderboard.json"));
            if (board != null && board.isObject()) {
                n.put("search", board.path("search").path("kind").asText());
                n.set("best", board.path("best"));
            }
            out.add(n);
        }
        return out;
    }

    /** One study: its status record and leaderboard (refuses ids that are not studies of this folder). */
    JsonNode study(String id) {
        org.oncobench.study.StudyFolder s = org.oncobench.study.StudyFolder.open(store, id);
        ObjectNode n = JSON.createObjectNode();
        n.set("info", JSON.valueToTree(s.info()));
        JsonNode board = RunComparison.readJson(s.file("leaderboard.json"));
        n.set("leaderboard", board == null ? JSON.createObjectNode() : board);
        return n;
    }

    /** One run: refuses ids that are not runs of this folder ({@link RunStore#dirOf}). */
    JsonNode run(String id) {
        Path dir = store.dirOf(id);
        RunRecord record = RunRecords.read(dir).map(RunRecords::effective)
                .orElseThrow(() -> new BadInputException("run " + id + " is being written; try again"));
        ObjectNode n = JSON.createObjectNode();
        n.set("run", JSON.valueToTree(record));
        String yaml = text(dir.resolve("experiment.yaml"));
        n.put("experiment_yaml", yaml);
        n.set("provenance", RunComparison.readJson(dir.resolve("provenance.json")));
        JsonNode metrics = RunComparison.readJson(dir.resolve("metrics.json"));
        if (metrics instanceof ObjectNode m) {
            m.remove("history"); // the curves come from history.jsonl below
        }
        n.set("metrics", metrics);
        n.set("history", history(dir));
        n.set("predictions", predictions(dir.resolve("predictions.csv")));
        n.put("validation_metric", validationMetric(parseYaml(dir, yaml)));
        n.set("explanations", explanations(dir.resolve("explanations.csv")));
        ArrayNode files = n.putArray("files"); // what /runs/ID/files/NAME serves: only files that exist
        for (RunArtifacts.Artifact a : RunArtifacts.of(dir)) {
            files.addObject().put("name", a.name()).put("bytes", a.bytes()).put("type", a.type())
                    .put("url", "/runs/" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8) + "/files/" + a.name());
        }
        return n;
    }

    /** explanations.csv grouped per prediction: [{sample, drug, predicted, top: [{table, feature, value, attribution}]}]. */
    static JsonNode explanations(Path file) {
        ArrayNode out = JSON.createArrayNode();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try (DelimitedFile f = DelimitedFile.open(file)) {
            int sample = f.column("sample", file.toString());
            int drug = f.column("drug", file.toString());
            int predicted = f.column("predicted", file.toString());
            int table = f.column("table", file.toString());
            int feature = f.column("feature", file.toString());
            int value = f.column("value", file.toString());
            int attribution = f.column("attribution", file.toString());
            ObjectNode current = null;
            String key = null;
            String[] row;
            while ((row = f.next()) != null) {
                String k = row[sample] + "\u0000" + row[drug];
                if (!k.equals(key)) {
                    current = out.addObject();
                    current.put("sample", row[sample]);
                    current.put("drug", row[drug].isEmpty() ? null : row[drug]);
                    current.put("predicted", Double.parseDouble(row[predicted]));
                    current.putArray("top");
                    key = k;
                }
                ((ArrayNode) current.get("top")).addObject().put("table", row[table]).put("feature", row[feature])
                        .put("value", Double.parseDouble(row[value])).put("attribution", Double.parseDouble(row[attribution]));
            }
        } catch (RuntimeException e) {
            throw new BadInputException(file + ": unreadable (" + e.getMessage() + ")");
        }
        return out;
    }

    /** Runs side by side: metrics, configuration differences and each run's validation curve. */
    JsonNode compare(List<String> ids) {
        RunComparison c = RunComparison.of(store, ids);
        ObjectNode n = JSON.createObjectNode();
        n.set("runs", JSON.valueToTree(c.runs()));
        n.set("metrics", JSON.valueToTree(c.metrics()));
        n.set("config_differences", JSON.valueToTree(c.configDifferences()));
        ObjectNode paired = n.putObject("paired_tests"); // the first run against each other run, as runs compare does
        for (String other : ids.subList(1, ids.size())) {
            org.oncobench.train.RunPairedTest t = org.oncobench.train.RunPairedTest.of(store, ids.get(0), other);
            ObjectNode p = JSON.valueToTree(t);
            p.put("text", t.describe());
            paired.set(other, p);
        }
        ObjectNode curves = n.putObject("history");
        ObjectNode metricNames = n.putObject("validation_metric");
        ObjectNode records = n.putObject("records");
        for (String id : ids) {
            Path dir = store.dirOf(id);
            curves.set(id, history(dir));
            metricNames.put(id, validationMetric(RunComparison.readYaml(dir.resolve("experiment.yaml"))));
            RunRecords.read(dir).map(RunRecords::effective).ifPresent(r -> records.set(id, JSON.valueToTree(r)));
        }
        return n;
    }

    /** "RMSE" for regression runs, "AUC" for classification: what the validation curve measures. */
    private static String validationMetric(JsonNode experiment) {
        return "classification".equals(experiment.path("task").path("kind").asText()) ? "AUC" : "RMSE";
    }

    private static JsonNode parseYaml(Path dir, String yaml) {
        try {
            return new YAMLMapper().readTree(yaml);
        } catch (IOException e) {
            throw new BadInputException(dir.resolve("experiment.yaml") + ": unreadable (" + e.getMessage() + ")");
        }
    }

    /** history.jsonl as an array; a line being appended (no newline yet) is left for the next poll. */
    static JsonNode history(Path dir) {
        ArrayNode out = JSON.createArrayNode();
        Path file = dir.resolve("history.jsonl");
        if (!Files.isRegularFile(file)) {
            return out;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException(file + ": unreadable (" + e.getMessage() + ")");
        }
        int end = text.lastIndexOf('\n');
        for (String line : text.substring(0, Math.max(end, 0)).split("\n")) {
            if (!line.isBlank()) {
                try {
                    out.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new BadInputException(file + ": a line is not JSON (" + e.getMessage() + ")");
                }
            }
        }
        return out;
    }

    /** Observed and predicted test values (first repeat), thinned to {@link #MAX_POINTS} by an even stride. */
    static JsonNode predictions(Path file) {
        ObjectNode n = JSON.createObjectNode();
        if (!Files.isRegularFile(file)) {
            return n.put("n", 0);
        }
        List<double[]> rows = new ArrayList<>();
        try (DelimitedFile in = DelimitedFile.open(file)) { // sample and drug ids may hold commas or quotes: a real CSV reader
            List<String> columns = List.of(in.header());
            int obs = columns.indexOf("observed");
            int pred = columns.indexOf("predicted");
            int repeat = columns.indexOf("repeat");
            if (obs < 0 || pred < 0) {
                throw new BadInputException(file + ": no observed/predicted columns");
            }
            for (String[] f = in.next(); f != null; f = in.next()) {
                if (repeat >= 0 && !"1".equals(f[repeat])) {
                    continue;
                }
                rows.add(new double[]{Double.parseDouble(f[obs]), Double.parseDouble(f[pred])});
            }
        } catch (NumberFormatException e) {
            throw new BadInputException(file + ": unreadable (" + e.getMessage() + ")");
        }
        int stride = Math.max(1, (rows.size() + MAX_POINTS - 1) / MAX_POINTS);
        ArrayNode observed = n.putArray("observed");
        ArrayNode predicted = n.putArray("predicted");
        for (int i = 0; i < rows.size(); i += stride) {
            observed.add(rows.get(i)[0]);
            predicted.add(rows.get(i)[1]);
        }
        n.put("n", rows.size());
        n.put("shown", observed.size());
        return n;
    }

    private static String text(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new BadInputException(file + ": unreadable (" + e.getMessage() + ")");
        }
    }
}
