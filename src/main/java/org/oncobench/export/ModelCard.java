package org.oncobench.export;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The model card of a bundle ({@code model-card.json} and {@code model-card.md}): intended use, training data summary,
 * split, metrics beside baselines, per-group results, limitations and known biases. Counts and summaries only:
 * no training rows and no sample identifiers.
 */
final class ModelCard {
    static final String INTENDED_USE = "Research only: in-silico estimates of drug response for cancer cell lines or research cohorts, "
            + "to prioritise experiments. Not for clinical decisions, diagnosis or treatment of any patient.";

    private ModelCard() {
    }

    static Map<String, Object> build(String runId, JsonNode experiment, JsonNode metrics, JsonNode schema, JsonNode provenance, boolean signed) {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("model", experiment.path("name").asText() + " (" + metrics.path("model").path("kind").asText() + ")");
        card.put("run_id", runId);
        card.put("intended_use", INTENDED_USE);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("task", metrics.path("task").asText());
        data.put("target", metrics.path("target").asText());
        data.put("train_rows", metrics.path("split").path("train_rows").asInt());
        data.put("train_samples", metrics.path("split").path("train_samples").asInt());
        data.put("validation_rows", metrics.path("split").path("validation_rows").asInt());
        data.put("test_rows", metrics.path("split").path("test_rows").asInt());
        data.put("test_samples", metrics.path("split").path("test_samples").asInt());
        data.put("drugs", metrics.path("per_drug").path("groups").isMissingNode() ? null : metrics.path("per_drug").path("groups").asInt());
        if (metrics.has("final_model")) { // k-fold's final model: trained on every row, scored by the folds
            data.put("train_rows", metrics.path("final_model").path("rows").asInt());
            data.put("train_samples", metrics.path("final_model").path("samples").asInt());
            data.put("validation_rows", 0);
            data.put("test_rows", metrics.path("test").path("n").asInt());
            data.put("test_samples", null);
        }
        List<String> inputs = new ArrayList<>();
        schema.path("inputs").forEach(i -> inputs.add(i.path("name").asText() + " (" + i.path("kind").asText() + ", " + i.path("width").asInt()
                + " features)"));
        data.put("inputs", inputs);
        List<String> files = new ArrayList<>();
        provenance.path("inputs").fields().forEachRemaining(e -> files.add(Path.of(e.getKey()).getFileName() + " sha256:" + e.getValue().asText()));
        data.put("files", files);
        card.put("training_data", data);
        card.put("split", metrics.path("split").path("kind").asText() + ", seed " + metrics.path("split").path("seed").asText());
        card.put("test_metrics", metrics.path("test"));
        card.put("baselines", metrics.path("baselines"));
        card.put("best_baseline", metrics.path("best_baseline").asText(null));
        card.put("verdict", metrics.path("verdict").path("text").asText(null)); // the run's one verdict, as its console and report say it
        if (metrics.has("per_drug")) {
            Map<String, Object> pd = new LinkedHashMap<>();
            metrics.path("per_drug").fields().forEachRemaining(e -> {
                if (!e.getKey().equals("drugs")) {
                    pd.put(e.getKey(), e.getValue());
                }
            });
            card.put("per_drug_summary", pd);
        }
        card.put("per_group", metrics.path("per_group"));
        card.put("limitations", limitations(metrics));
        card.put("known_biases", biases(metrics));
        card.put("versions", provenance.path("versions"));
        card.put("integrity", signed
                ? "MANIFEST.sha256 lists the SHA-256 of every entry and MANIFEST.sha256.sig signs it: opened with the signer's public key "
                + "(predict/serve --verify PUBKEY), any change to any entry is detected."
                : "MANIFEST.sha256 lists the SHA-256 of every entry: it detects corruption (a damaged or truncated file), not deliberate "
                + "tampering, since anyone can edit an entry and recompute its hash. Export with --sign KEY and open with --verify PUBKEY "
                + "to make tampering detectable.");
        return card;
    }

    static List<String> limitations(JsonNode metrics) {
        List<String> out = new ArrayList<>();
        String split = metrics.path("split").path("kind").asText();
        if (metrics.has("final_model")) {
            out.add("This model was trained on every row after k-fold cross-validation (" + metrics.path("final_model").path("epochs").asInt()
                    + " epochs, " + metrics.path("final_model").path("epochs_from").asText() + "): the reported metrics are the cross-validated "
                    + "ones (each fold's model on its held-out rows), an estimate for this model, not its own test scores.");
        } else {
            out.add("Scores come from one " + split + " split of " + metrics.path("split").path("test_samples").asInt()
                    + " held-out samples; they estimate performance on data like the training data only.");
        }
        if (!split.equals("drug-blind")) {
            out.add("Performance on drugs absent from training was not measured (the split was not drug-blind); expect it to be much lower.");
        }
        if (split.equals("mixed")) {
            out.add("A mixed split lets the same cell lines and drugs appear in training and test: these scores are optimistic.");
        }
        out.add("Cell-line responses do not transfer directly to patients; cross-dataset generalisation (another screen, another lab) "
                + "is typically much weaker.");
        out.add("Inputs must be measured and processed like the training data (same units, e.g. log2(TPM+1), same gene identifiers).");
        JsonNode u = metrics.path("uncertainty");
        if (u.isObject()) {
            out.add(String.format(Locale.ROOT, "Prediction intervals (%s, level %s) are split conformal, calibrated on %d rows of the split's "
                    + "calibration part: held out of training, validation and test, they chose nothing (not the epoch, not a baseline's "
                    + "settings), so the coverage guarantee holds for new rows exchangeable with them; measured test coverage %.3f. Rows "
                    + "of one cell line are not independent: with few calibration cell lines, coverage varies from split to split.",
                    u.path("kind").asText(), u.path("level").asText(), u.path("calibration_rows").asInt(), u.path("coverage").asDouble()));
        }
        return out;
    }

    static List<String> biases(JsonNode metrics) {
        List<String> out = new ArrayList<>();
        if (metrics.path("fairness").isObject()) { // the run's disparity analysis: per group, the gap and whether chance explains it
            metrics.path("fairness").fields().forEachRemaining(g -> {
                JsonNode c = g.getValue();
                String metric = c.path("metric").asText();
                JsonNode d = c.path("disparity");
                if (d.isObject()) {
                    JsonNode gi = d.path("gap_interval");
                    String interval = gi.path(0).isNumber() && gi.path(1).isNumber()
                            ? String.format(Locale.ROOT, "[%.3f, %.3f]", gi.get(0).asDouble(), gi.get(1).asDouble()) : "[-] (too few scorable resamples)";
                    out.add(String.format(Locale.ROOT, "By %s: worst group %s (%s %.3f) against best %s (%.3f): gap %.3f, 95%% bootstrap interval "
                                    + "%s, permutation p = %.3f (%s).", g.getKey(), d.path("worst").asText(), metric, d.path("worst_" + metric).asDouble(),
                            d.path("best").asText(), d.path("best_" + metric).asDouble(), d.path("gap").asDouble(), interval, d.path("permutation_p").asDouble(),
                            d.path("larger_than_chance").asBoolean() ? "larger than chance: the model works worse for this group"
                                    : "within what chance gives on this test set"));
                } else {
                    out.add("By " + g.getKey() + ": " + c.path("note").asText() + ".");
                }
                if (c.path("too_small_to_score").size() > 0) {
                    List<String> small = new ArrayList<>();
                    c.path("too_small_to_score").forEach(x -> small.add(x.asText()));
                    out.add("By " + g.getKey() + ", too few test rows to score (" + c.path("minimum").asText() + "): " + String.join(", ", small)
                            + "; performance for them is unknown.");
                }
            });
            return out;
        }
        metrics.path("per_group").fields().forEachRemaining(g -> {
            String metric = g.getValue().has("pearson_mean") ? "pearson" : "auc";
            double worst = Double.POSITIVE_INFINITY;
            double best = Double.NEGATIVE_INFINITY;
            String worstName = null;
            String bestName = null;
            int smallest = Integer.MAX_VALUE;
            int largest = 0;
            for (JsonNode row : g.getValue().path("rows")) {
                int n = row.path("n").asInt();
                smallest = Math.min(smallest, n);
                largest = Math.max(largest, n);
                if (row.path(metric).isNumber()) {
                    double v = row.path(metric).asDouble();
                    if (v < worst) {
                        worst = v;
                        worstName = row.path("group").asText();
                    }
                    if (v > best) {
                        best = v;
                        bestName = row.path("group").asText();
                    }
                }
            }
            if (worstName != null) {
                out.add(String.format(Locale.ROOT, "By %s: %s ranges from %.3f (%s) to %.3f (%s); test rows per group range from %d to %d.",
                        g.getKey(), metric, worst, worstName, best, bestName, smallest, largest));
            }
        });
        if (out.isEmpty()) {
            out.add("No grouping (tissue, sex, age, batch) was evaluated: performance across subgroups is unknown.");
        }
        return out;
    }

    static String markdown(Map<String, Object> card) {
        StringBuilder sb = new StringBuilder("# Model card: ").append(card.get("model")).append("\n\n");
        sb.append("Run `").append(card.get("run_id")).append("`.\n\n## Intended use\n\n").append(INTENDED_USE).append("\n\n");
        sb.append("## Training data\n\n");
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) card.get("training_data");
        data.forEach((k, v) -> sb.append("- ").append(k.replace('_', ' ')).append(": ").append(v instanceof List<?> l ? String.join("; ",
                l.stream().map(Object::toString).toList()) : v).append('\n'));
        sb.append("\n## Evaluation (").append(card.get("split")).append(")\n\n");
        JsonNode test = (JsonNode) card.get("test_metrics");
        sb.append("| predictor |");
        List<String> keys = new ArrayList<>();
        test.fieldNames().forEachRemaining(keys::add);
        keys.forEach(k -> sb.append(' ').append(k).append(" |"));
        sb.append("\n|---|").append("---|".repeat(keys.size())).append('\n');
        row(sb, "model", test, keys);
        ((JsonNode) card.get("baselines")).fields().forEachRemaining(e -> row(sb, e.getKey(), e.getValue(), keys));
        if (card.get("verdict") instanceof String verdict) {
            sb.append("\nVerdict: ").append(Character.toUpperCase(verdict.charAt(0))).append(verdict.substring(1)).append(".\n");
        }
        if (card.get("per_drug_summary") instanceof Map<?, ?> pd && !pd.isEmpty()) {
            sb.append("\nPer drug (the model on each drug's test rows, summarised across drugs):\n\n| summary | value |\n|---|---|\n");
            pd.forEach((k, v) -> sb.append("| ").append(String.valueOf(k).replace('_', ' ')).append(" | ").append(v instanceof JsonNode n && n.isNumber()
                    ? (n.isIntegralNumber() ? n.asText() : String.format(Locale.ROOT, "%.3f", n.asDouble())) : v instanceof JsonNode n && n.isNull() ? "-"
                    : String.valueOf(v)).append(" |\n"));
        }
        ((JsonNode) card.get("per_group")).fields().forEachRemaining(g -> {
            sb.append("\n### Per ").append(g.getKey()).append("\n\n| group | n | metric |\n|---|---|---|\n");
            String metric = g.getValue().has("pearson_mean") ? "pearson" : "auc";
            g.getValue().path("rows").forEach(r -> sb.append("| ").append(r.path("group").asText()).append(" | ").append(r.path("n").asInt())
                    .append(" | ").append(metric).append(' ').append(r.path(metric).isNumber()
                            ? String.format(Locale.ROOT, "%.3f", r.path(metric).asDouble()) : "-").append(" |\n"));
        });
        sb.append("\n## Limitations\n\n");
        for (Object l : (List<?>) card.get("limitations")) {
            sb.append("- ").append(l).append('\n');
        }
        sb.append("\n## Known biases\n\n");
        for (Object b : (List<?>) card.get("known_biases")) {
            sb.append("- ").append(b).append('\n');
        }
        sb.append("\n## Integrity\n\n").append(card.get("integrity")).append('\n');
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, JsonNode values, List<String> keys) {
        sb.append("| ").append(name).append(" |");
        for (String k : keys) {
            JsonNode v = values.path(k);
            sb.append(' ').append(v.isNumber() ? (v.isInt() ? v.asText() : String.format(Locale.ROOT, "%.3f", v.asDouble())) : "-").append(" |");
        }
        sb.append('\n');
    }
}
