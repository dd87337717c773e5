package org.oncobench.export;

import com.fasterxml.jackson.databind.JsonNode;
import org.oncobench.eval.Verdict;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The model card of a bundle ({@code model-card.json} and {@code model-card.md}; {@code export --card-only} writes the
 * Markdown and an HTML page for sign-off): intended use, training data (datasets, split, sizes, dates, provenance
 * hashes), metrics with 95% intervals beside the best baseline, per-drug and per-group results, fairness by group,
 * calibration and coverage, the explanation method, limitations and known biases, and the SHA-256 of every other
 * bundle entry, {@code model.onnx} included. Counts and summaries only: no training rows and no sample identifiers.
 */
final class ModelCard {
    static final String INTENDED_USE = "Research only: in-silico estimates of drug response for cancer cell lines or research cohorts, "
            + "to prioritise experiments. Not for clinical decisions, diagnosis or treatment of any patient.";

    private ModelCard() {
    }

    /**
     * The card of a run's bundle: {@code hashes} are the SHA-256 of the bundle's other entries (model.zip, model.onnx,
     * input schema, ...), {@code onnx} the ONNX export or the reason there is none.
     */
    static Map<String, Object> build(RunExport run, boolean signed, Map<String, String> hashes, OnnxExport.Outcome onnx) {
        String runId = run.runId();
        JsonNode experiment = run.experiment();
        JsonNode metrics = run.metrics();
        JsonNode schema = run.schema();
        JsonNode provenance = run.provenance();
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
        data.put("datasets", datasets(experiment));
        card.put("training_data", data);
        Map<String, Object> trained = new LinkedHashMap<>();
        trained.put("started", run.record().started());
        trained.put("finished", run.record().finished());
        trained.put("git_commit", provenance.path("git").path("commit").asText(null));
        trained.put("uncommitted_changes", provenance.path("git").path("dirty").asBoolean());
        card.put("trained", trained);
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
        card.put("headline", headline(metrics));
        card.put("fairness", metrics.path("fairness"));
        card.put("calibration", calibration(metrics));
        card.put("explanation", explanation(metrics));
        List<String> limits = new ArrayList<>(limitations(metrics));
        limits.add(onnx.model() != null ? "model.onnx gives the point prediction only: the intervals, conformal sets and explanations come from "
                + "the bundle (Predictor, predict, serve)." : "This bundle has no model.onnx: " + onnx.refusal() + ".");
        card.put("limitations", limits);
        card.put("known_biases", biases(metrics));
        card.put("versions", provenance.path("versions"));
        card.put("onnx", onnxSummary(onnx));
        card.put("hashes", hashes);
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

    /** The experiment's data sources: each table's name, file (its name only) and what was taken from it. */
    static List<String> datasets(JsonNode experiment) {
        List<String> out = new ArrayList<>();
        JsonNode data = experiment.path("data");
        JsonNode rows = data.path("rows");
        if (rows.isObject()) {
            out.add("rows: " + fileName(rows.path("file")) + " (target " + rows.path("target").asText() + (rows.has("drug") ? ", pairs of "
                    + rows.path("sample").asText() + " x " + rows.path("drug").asText() : ", per " + rows.path("sample").asText()) + ")");
        }
        for (String section : List.of("samples", "drugs", "groups")) {
            data.path(section).fields().forEachRemaining(t -> out.add(section + "." + t.getKey() + ": "
                    + (t.getValue().has("dir") ? fileName(t.getValue().path("dir")) + "/ (image tiles)" : fileName(t.getValue().path("file")))));
        }
        if (data.path("external").isObject()) {
            out.add("external study " + data.path("external").path("name").asText() + ": " + fileName(data.path("external").path("rows").path("file")));
        }
        return out;
    }

    private static String fileName(JsonNode path) {
        return path.isTextual() ? String.valueOf(Path.of(path.asText()).getFileName()) : "-";
    }

    private static boolean lowerIsBetter(String metric) {
        return List.of("rmse", "brier", "log_loss", "ece").contains(metric);
    }

    /**
     * The headline metrics with their 95% bootstrap intervals, the best baseline's beside them, and the paired
     * difference model - baseline with its interval and verdict: better or worse only when that interval excludes zero.
     */
    static List<Map<String, Object>> headline(JsonNode metrics) {
        List<Map<String, Object>> out = new ArrayList<>();
        JsonNode intervals = metrics.path("significance").path("intervals");
        String best = metrics.path("best_baseline").asText(null);
        intervals.path("model").fields().forEachRemaining(e -> {
            String metric = e.getKey();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("metric", metric);
            row.put("model", interval(e.getValue()));
            if (best != null && intervals.path(best).path(metric).isObject()) {
                row.put("baseline", best);
                row.put("baseline_value", interval(intervals.path(best).path(metric)));
                JsonNode d = metrics.path("significance").path("model_minus_baseline").path(best).path(metric);
                if (d.isObject()) {
                    row.put("difference", interval(d));
                    // the one verdict rule (eval.Verdict), per metric: better or worse only when the interval excludes zero
                    Verdict v = Verdict.of(best, metric, !lowerIsBetter(metric), e.getValue().path("estimate").asDouble(Double.NaN),
                            intervals.path(best).path(metric).path("estimate").asDouble(Double.NaN), d.path("low").asDouble(Double.NaN),
                            d.path("high").asDouble(Double.NaN));
                    row.put("verdict", switch (v.outcome()) {
                        case "beats" -> "better than " + best;
                        case "worse" -> "worse than " + best;
                        default -> "not distinguishable from " + best + " at 95%";
                    });
                }
            }
            out.add(row);
        });
        return out;
    }

    private static Map<String, Object> interval(JsonNode i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("estimate", i.path("estimate").isNumber() ? i.path("estimate").asDouble() : null);
        m.put("low", i.path("low").isNumber() ? i.path("low").asDouble() : null);
        m.put("high", i.path("high").isNumber() ? i.path("high").asDouble() : null);
        return m;
    }

    /** How well the probabilities or intervals match what happens: the test calibration metrics and the conformal coverage. */
    static Map<String, Object> calibration(JsonNode metrics) {
        Map<String, Object> out = new LinkedHashMap<>();
        boolean classification = "classification".equals(metrics.path("task").asText());
        if (classification) {
            out.put("probabilities", "moved from the class-balanced network to the training prevalence (p' = p pi / (p pi + (1 - p)(1 - pi)))");
            for (String k : List.of("ece", "brier", "log_loss")) {
                if (metrics.path("test").path(k).isNumber()) {
                    out.put("test_" + k, metrics.path("test").path(k).asDouble());
                }
            }
        }
        JsonNode u = metrics.path("uncertainty");
        if (u.isObject()) {
            out.put("method", u.path("method").asText());
            out.put("calibration_rows", u.path("calibration_rows").asInt());
            out.put("level", u.path("level").asDouble());
            out.put("coverage", u.path("coverage").asDouble());
            List<Map<String, Object>> levels = new ArrayList<>();
            u.path("levels").fields().forEachRemaining(l -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("nominal", l.getKey());
                row.put("coverage", l.getValue().path("coverage").asDouble());
                l.getValue().fields().forEachRemaining(f -> {
                    if (f.getKey().startsWith("mean_")) {
                        row.put(f.getKey(), f.getValue().asDouble());
                    }
                });
                levels.add(row);
            });
            out.put("levels", levels);
        } else {
            out.put("coverage", null);
            out.put("note", "the run calibrated no " + (classification ? "conformal sets" : "prediction intervals")
                    + " (evaluation.uncertainty was off): predictions come without them");
        }
        return out;
    }

    /** How predictions are explained: the run's attribution analysis, when it ran, and what the bundle answers per prediction. */
    static Map<String, Object> explanation(JsonNode metrics) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("per_prediction", "integrated gradients, " + Predictor.EXPLAIN_STEPS + " steps, baseline every input at its training mean "
                + "(serve POST /explain, predict --explain K, Predictor.explain)");
        JsonNode e = metrics.path("explain");
        if (e.isObject()) {
            out.put("method", e.path("method").asText().replace('_', ' ') + ", " + e.path("steps").asInt() + " steps; baseline: " + e.path("baseline").asText());
            out.put("rows_explained", e.path("rows_explained").asInt());
            out.put("completeness_median_relative_error", e.path("completeness").path("median_relative_error").asDouble());
            out.put("completeness_within_1_percent", e.path("completeness").path("within_1_percent").asDouble());
            Map<String, Object> shares = new LinkedHashMap<>();
            e.path("tables").fields().forEachRemaining(t -> shares.put(t.getKey(), t.getValue().path("share").asDouble()));
            out.put("table_shares", shares);
        } else {
            out.put("method", null);
            out.put("note", "the run explained no test predictions (evaluation.explain was off)");
        }
        return out;
    }

    private static Map<String, Object> onnxSummary(OnnxExport.Outcome onnx) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("included", onnx.model() != null);
        if (onnx.model() == null) {
            out.put("refusal", onnx.refusal());
            return out;
        }
        out.put("file", BundleFormat.ONNX);
        out.put("opset", onnx.model().opset());
        List<String> inputs = new ArrayList<>();
        onnx.model().inputs().forEach(i -> inputs.add(i.name() + " float [batch, " + i.width() + "]"));
        out.put("inputs", inputs);
        out.put("output", onnx.model().output() + " double [batch, 1]: " + onnx.model().outputMeaning());
        out.put("operators", onnx.model().operators());
        return out;
    }

    private static String num(Object v) {
        return v instanceof Number n && Double.isFinite(n.doubleValue()) ? String.format(Locale.ROOT, "%.3f", n.doubleValue()) : "-";
    }

    @SuppressWarnings("unchecked")
    private static String formatInterval(Object i) {
        Map<String, Object> m = (Map<String, Object>) i;
        return num(m.get("estimate")) + " [" + num(m.get("low")) + ", " + num(m.get("high")) + "]";
    }

    /** Text for a Markdown table cell. */
    private static String cell(Object v) {
        return String.valueOf(v).replace("|", "\\|").replace("\n", " ");
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> card) {
        StringBuilder sb = new StringBuilder("# Model card: ").append(card.get("model")).append("\n\n");
        sb.append("Run `").append(card.get("run_id")).append("`");
        if (card.get("trained") instanceof Map<?, ?> t) {
            sb.append(", trained from ").append(t.get("started")).append(" to ").append(t.get("finished"));
            if (t.get("git_commit") != null) {
                sb.append(" at commit `").append(t.get("git_commit")).append('`').append(Boolean.TRUE.equals(t.get("uncommitted_changes"))
                        ? " (with uncommitted changes)" : "");
            }
        }
        sb.append(".\n\n## Intended use\n\n").append(INTENDED_USE).append("\n\n");
        sb.append("## Training data\n\n");
        Map<String, Object> data = (Map<String, Object>) card.get("training_data");
        data.forEach((k, v) -> sb.append("- ").append(k.replace('_', ' ')).append(": ").append(v instanceof List<?> l ? String.join("; ",
                l.stream().map(Object::toString).toList()) : v).append('\n'));
        sb.append("\n## Evaluation (").append(card.get("split")).append(")\n\n");
        List<Map<String, Object>> headline = (List<Map<String, Object>>) card.getOrDefault("headline", List.of());
        if (!headline.isEmpty()) {
            Object best = headline.get(0).get("baseline");
            sb.append("Test metrics with 95% bootstrap intervals").append(best == null ? "" : ", beside the best baseline (" + best + ")")
                    .append(":\n\n| metric | model | ").append(best == null ? "" : best + " | model - " + best + " | verdict |")
                    .append("\n|---|---|").append(best == null ? "" : "---|---|---|").append('\n');
            for (Map<String, Object> r : headline) {
                sb.append("| ").append(r.get("metric")).append(" | ").append(formatInterval(r.get("model"))).append(" |");
                if (best != null) {
                    sb.append(' ').append(r.containsKey("baseline_value") ? formatInterval(r.get("baseline_value")) : "-").append(" | ")
                            .append(r.containsKey("difference") ? formatInterval(r.get("difference")) : "-").append(" | ")
                            .append(r.getOrDefault("verdict", "-")).append(" |");
                }
                sb.append('\n');
            }
            sb.append("\nAll predictors on the test rows:\n\n");
        } else {
            sb.append("No intervals (the run had evaluation.bootstrap: 0). All predictors on the test rows:\n\n");
        }
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
            g.getValue().path("rows").forEach(r -> sb.append("| ").append(cell(r.path("group").asText())).append(" | ").append(r.path("n").asInt())
                    .append(" | ").append(metric).append(' ').append(r.path(metric).isNumber()
                            ? String.format(Locale.ROOT, "%.3f", r.path(metric).asDouble()) : "-").append(" |\n"));
        });
        fairness(sb, card.get("fairness") instanceof JsonNode f ? f : null);
        calibration(sb, (Map<String, Object>) card.get("calibration"));
        explanation(sb, (Map<String, Object>) card.get("explanation"));
        sb.append("\n## Limitations\n\n");
        for (Object l : (List<?>) card.get("limitations")) {
            sb.append("- ").append(l).append('\n');
        }
        sb.append("\n## Known biases\n\n");
        for (Object b : (List<?>) card.get("known_biases")) {
            sb.append("- ").append(b).append('\n');
        }
        files(sb, (Map<String, Object>) card.get("onnx"), (Map<String, String>) card.get("hashes"));
        sb.append("\n## Integrity\n\n").append(card.get("integrity")).append('\n');
        sb.append("\n## Sign-off\n\n| role | name | date | decision |\n|---|---|---|---|\n| reviewer |  |  |  |\n| production owner |  |  |  |\n");
        return sb.toString();
    }

    private static void fairness(StringBuilder sb, JsonNode fairness) {
        sb.append("\n## Fairness by group\n\n");
        if (fairness == null || !fairness.isObject() || fairness.isEmpty()) {
            sb.append("No grouping (tissue, sex, age, batch) was evaluated: performance across subgroups is unknown.\n");
            return;
        }
        fairness.fields().forEachRemaining(g -> {
            String metric = g.getValue().path("metric").asText();
            sb.append("By ").append(g.getKey()).append(" (").append(metric).append(" per group on the test rows; groups need ")
                    .append(g.getValue().path("minimum").asText()).append("):\n\n| group | rows | samples | ").append(metric).append(" |\n|---|---|---|---|\n");
            g.getValue().path("groups").forEach(r -> sb.append("| ").append(cell(r.path("group").asText())).append(" | ").append(r.path("rows").asInt())
                    .append(" | ").append(r.path("samples").asInt()).append(" | ").append(r.path(metric).isNumber()
                            ? String.format(Locale.ROOT, "%.3f", r.path(metric).asDouble()) : "-").append(" |\n"));
            JsonNode d = g.getValue().path("disparity");
            if (d.isObject()) {
                sb.append(String.format(Locale.ROOT, "%nGap between the worst (%s) and best (%s) group: %.3f, 95%% bootstrap interval [%.3f, %.3f]; "
                                + "permutation p = %.3f: %s.%n", d.path("worst").asText(), d.path("best").asText(), d.path("gap").asDouble(),
                        d.path("gap_interval").path(0).asDouble(), d.path("gap_interval").path(1).asDouble(), d.path("permutation_p").asDouble(),
                        d.path("larger_than_chance").asBoolean() ? "larger than chance" : "within what chance gives on this test set"));
            }
        });
    }

    private static void calibration(StringBuilder sb, Map<String, Object> c) {
        sb.append("\n## Calibration and coverage\n\n");
        if (c.containsKey("probabilities")) {
            sb.append("Probabilities are ").append(c.get("probabilities")).append(". Test: ECE ").append(num(c.get("test_ece")))
                    .append(", Brier ").append(num(c.get("test_brier"))).append(", log loss ").append(num(c.get("test_log_loss"))).append(".\n\n");
        }
        if (c.get("note") != null) {
            sb.append("No coverage: ").append(c.get("note")).append(".\n");
            return;
        }
        sb.append(c.get("method")).append(", calibrated on ").append(c.get("calibration_rows")).append(" validation rows; the bundle answers at level ")
                .append(c.get("level")).append(" (test coverage ").append(num(c.get("coverage"))).append(").\n\n| nominal | test coverage | mean width or size |\n|---|---|---|\n");
        for (Object o : (List<?>) c.get("levels")) {
            Map<?, ?> l = (Map<?, ?>) o;
            Object mean = l.entrySet().stream().filter(e -> String.valueOf(e.getKey()).startsWith("mean_")).map(Map.Entry::getValue).findFirst().orElse(null);
            sb.append("| ").append(l.get("nominal")).append(" | ").append(num(l.get("coverage"))).append(" | ").append(num(mean)).append(" |\n");
        }
    }

    private static void explanation(StringBuilder sb, Map<String, Object> e) {
        sb.append("\n## Explanations\n\n");
        if (e.get("method") != null) {
            sb.append("The run's test predictions: ").append(e.get("method")).append("; ").append(e.get("rows_explained")).append(" rows explained, ")
                    .append(String.format(Locale.ROOT, "attributions sum to the prediction minus the baseline within %.2f%% (median), %.1f%% of rows within 1%%",
                            100 * ((Number) e.get("completeness_median_relative_error")).doubleValue(),
                            100 * ((Number) e.get("completeness_within_1_percent")).doubleValue())).append(". Share of the attribution: ");
            List<String> shares = new ArrayList<>();
            ((Map<?, ?>) e.get("table_shares")).forEach((k, v) -> shares.add(k + " " + String.format(Locale.ROOT, "%.0f%%", 100 * ((Number) v).doubleValue())));
            sb.append(String.join(", ", shares)).append(".\n\n");
        } else {
            sb.append("No explanation analysis: ").append(e.get("note")).append(".\n\n");
        }
        sb.append("Each prediction: ").append(e.get("per_prediction")).append(".\n");
    }

    private static void files(StringBuilder sb, Map<String, Object> onnx, Map<String, String> hashes) {
        sb.append("\n## Files and hashes\n\n");
        if (Boolean.TRUE.equals(onnx.get("included"))) {
            sb.append("`model.onnx` (ONNX opset ").append(onnx.get("opset")).append(", checked against the DL4J model with ONNX Runtime by oncobench's tests) "
                    + "takes raw features, one float input per table: ").append(String.join("; ", ((List<?>) onnx.get("inputs")).stream().map(Object::toString).toList()))
                    .append(" (column order and fingerprint settings in its metadata's input_schema); output ").append(onnx.get("output")).append(".\n\n");
        } else {
            sb.append("No `model.onnx`: ").append(onnx.get("refusal")).append(".\n\n");
        }
        sb.append("| file | SHA-256 |\n|---|---|\n");
        hashes.forEach((name, h) -> sb.append("| ").append(name).append(" | `").append(h).append("` |\n"));
    }

    /** The card as a standalone HTML page (the Markdown rendered by commonmark, tables included; no script, no remote resource). */
    static String html(String markdown, String title) {
        List<org.commonmark.Extension> extensions = List.of(org.commonmark.ext.gfm.tables.TablesExtension.create());
        org.commonmark.node.Node doc = org.commonmark.parser.Parser.builder().extensions(extensions).build().parse(markdown);
        String body = org.commonmark.renderer.html.HtmlRenderer.builder().extensions(extensions).escapeHtml(true).build().render(doc);
        String t = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>" + t + "</title>\n<style>body{font-family:sans-serif;max-width:980px;"
                + "margin:2em auto;color:#222;line-height:1.4}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px}"
                + "code{font-size:90%;word-break:break-all}</style></head><body>\n" + body + "</body></html>\n";
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
