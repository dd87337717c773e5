package org.oncobench.eval;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes {@code report.md} and {@code report.html} for a run, with PNG charts drawn by XChart: predicted vs observed,
 * the distribution of per-drug Pearson, training curves, and the ROC curve for classification.
 */
public final class RunReport {

    /** What a report shows; history arrays are per epoch of the first fold. */
    public record Content(String runId, String name, String task, String target, String split, String model, EvaluationReport report,
                          double[] observed, double[] predicted, double[] trainLoss, double[] validation, String validationName,
                          Map<String, Object> foldSummary, Significance significance, Map<String, Object> randomization,
                          Map<String, Object> learningCurve, Map<String, Object> external, Map<String, Object> explain,
                          Map<String, Object> fairness, Map<String, Object> uncertainty) {
    }

    private RunReport() {
    }

    public static void write(Path dir, Content c) throws IOException {
        boolean classification = "classification".equals(c.task());
        List<String[]> charts = new ArrayList<>(); // file, caption
        // no within-study test rows (split.test: 0 with an external study): nothing to plot for them
        if (c.observed().length > 0 && classification) {
            charts.add(new String[]{chart(dir, "roc.png", Charts.roc(c.observed(), c.predicted())), "ROC curve on the test rows"});
            if (!c.report().calibration().isEmpty()) {
                charts.add(new String[]{chart(dir, "calibration.png", Charts.reliability(c.report().calibration())),
                        "Calibration on the test rows: observed positive rate against predicted probability, model and baselines"});
            }
        } else if (c.observed().length > 0) {
            charts.add(new String[]{chart(dir, "predicted_vs_observed.png", Charts.scatter(c.observed(), c.predicted(), c.target())),
                    "Predicted vs observed " + c.target() + " on the test rows"});
            if (c.report().perDrug() != null && c.report().perDrug().groupsWithMetric() > 0) {
                charts.add(new String[]{chart(dir, "per_drug_pearson.png", Charts.histogram(c.report().perDrug())), "Per-drug Pearson on the test rows"});
            }
        }
        if (c.trainLoss().length > 0) {
            charts.add(new String[]{chart(dir, "training_curves.png", Charts.curves(c.trainLoss(), c.validation(), c.validationName())),
                    "Training loss and validation " + c.validationName() + " per epoch"});
        }
        if (c.learningCurve() != null) {
            charts.add(new String[]{chart(dir, "learning_curve.png", Charts.learningCurve(c.learningCurve())),
                    "Learning curve: test " + c.learningCurve().get("headline") + " by the number of training " + c.learningCurve().get("unit")});
        }
        if (c.explain() != null) {
            charts.add(new String[]{chart(dir, "importance.png", Charts.importance(c.explain())),
                    "Global importance: mean |attribution| of the 15 most important features over the explained test rows"});
        }
        if (c.uncertainty() != null) {
            charts.add(new String[]{chart(dir, "coverage.png", Charts.coverage(c.uncertainty())),
                    "Prediction intervals: measured test coverage against the nominal level (calibrated on the calibration rows)"});
        }
        String md = markdown(c, charts);
        Files.writeString(dir.resolve("report.md"), md, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("report.html"), html(c, md, charts), StandardCharsets.UTF_8);
    }

    private static String chart(Path dir, String file, Object chart) throws IOException {
        Path tmp = dir.resolve("." + file);
        if (chart instanceof XYChart xy) {
            BitmapEncoder.saveBitmap(xy, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
        } else {
            BitmapEncoder.saveBitmap((CategoryChart) chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
        }
        Files.move(tmp, dir.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    static String markdown(Content c, List<String[]> charts) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Run ").append(c.runId()).append("\n\n");
        sb.append("| | |\n|---|---|\n");
        for (String[] kv : new String[][]{{"experiment", c.name()}, {"task", c.task()}, {"target", c.target()}, {"split", c.split()},
                {"model", c.model()}}) {
            sb.append("| ").append(kv[0]).append(" | ").append(kv[1]).append(" |\n");
        }
        sb.append("\n## Test metrics beside the baselines\n\n");
        Map<String, Object> maps = c.report().toMap();
        Map<String, Map<?, ?>> rows = new LinkedHashMap<>();
        rows.put("model", (Map<?, ?>) maps.get("test"));
        ((Map<?, ?>) maps.get("baselines")).forEach((k, v) -> rows.put(String.valueOf(k), (Map<?, ?>) v));
        List<String> keys = new ArrayList<>();
        ((Map<?, ?>) maps.get("test")).forEach((k, v) -> {
            if (!(v instanceof Map<?, ?>)) {
                keys.add(String.valueOf(k));
            }
        });
        sb.append("| predictor | ").append(String.join(" | ", keys)).append(" |\n|---|");
        sb.append("---|".repeat(keys.size())).append('\n');
        for (Map.Entry<String, Map<?, ?>> e : rows.entrySet()) {
            sb.append("| ").append(e.getKey());
            for (String k : keys) {
                sb.append(" | ").append(fmt(e.getValue().get(k)));
            }
            sb.append(" |\n");
        }
        sb.append("\nBest baseline: ").append(c.report().bestBaseline()).append(". Baselines are fitted on the same training rows as the model.\n");
        Verdict verdict = Verdict.of(c.report(), c.significance());
        if (verdict != null) {
            String text = verdict.text();
            sb.append("\n**Verdict:** ").append(Character.toUpperCase(text.charAt(0))).append(text.substring(1)).append(".\n");
        }
        if (!c.report().beyondMeanEffects().isEmpty()) {
            sb.append("\n*_beyond_mean_effects (DrEval's normalised metrics): ").append(BeyondMeanEffects.MEANING).append(".\n");
        }
        if (c.significance() != null) {
            significance(sb, c.significance(), "classification".equals(c.task()));
        }
        if (c.external() != null) {
            external(sb, c.external());
        }
        if (c.randomization() != null) {
            randomization(sb, c.randomization());
        }
        if (c.explain() != null) {
            explain(sb, c.explain());
        }
        if (c.fairness() != null) {
            fairness(sb, c.fairness());
        }
        if (c.uncertainty() != null) {
            uncertainty(sb, c.uncertainty());
        }
        if (c.foldSummary() != null) {
            sb.append("\n## Across folds (mean ± sd)\n\n");
            Map<?, ?> model = (Map<?, ?>) c.foldSummary().get("model");
            sb.append("| metric | model |\n|---|---|\n");
            for (Map.Entry<?, ?> e : model.entrySet()) {
                Map<?, ?> stat = (Map<?, ?>) e.getValue();
                sb.append("| ").append(e.getKey()).append(" | ").append(fmt(stat.get("mean"))).append(" ± ").append(fmt(stat.get("sd")))
                        .append(" (").append(stat.get("folds")).append(" folds) |\n");
            }
        }
        GroupedMetrics perDrug = c.report().perDrug();
        if (perDrug != null) {
            sb.append(String.format(Locale.ROOT, "%n## Per drug%n%n%s across %d drugs: mean %s, median %s%n%n", perDrug.metricName(),
                    perDrug.groupsWithMetric(), fmt(perDrug.mean()), fmt(perDrug.median())));
            groupTable(sb, "drug", perDrug);
        }
        for (Map.Entry<String, GroupedMetrics> g : c.report().perGroup().entrySet()) {
            sb.append("\n## Per ").append(g.getKey()).append("\n\n");
            groupTable(sb, g.getKey(), g.getValue());
        }
        sb.append("\n## Charts\n\n");
        for (String[] chart : charts) {
            sb.append("![").append(chart[1]).append("](").append(chart[0]).append(")\n\n");
        }
        return sb.toString();
    }

    private static void significance(StringBuilder sb, Significance sig, boolean classification) {
        String headline = classification ? "auc" : "rmse";
        List<String> metrics = new ArrayList<>(sig.intervals().get(Significance.MODEL).keySet());
        sb.append(String.format(Locale.ROOT, "%n## 95%% intervals and significance%n%nBootstrap percentile intervals over %d %s (%d resamples, "
                + "seeded); differences are the model minus the predictor on the same resamples.%n%n", sig.units(), sig.unit(), sig.resamples()));
        sb.append("| predictor | ").append(String.join(" | ", metrics)).append(" | model - predictor ").append(headline)
                .append(" | per-drug Wilcoxon p | Holm p |\n|---|").append("---|".repeat(metrics.size() + 3)).append('\n');
        for (Map.Entry<String, Map<String, Significance.Interval>> e : sig.intervals().entrySet()) {
            sb.append("| ").append(e.getKey());
            for (String m : metrics) {
                Significance.Interval i = e.getValue().get(m);
                sb.append(" | ").append(i == null || !Double.isFinite(i.low()) ? fmt(i == null ? null : i.estimate()) : i.format());
            }
            Map<String, Significance.Interval> d = sig.differences().get(e.getKey());
            sb.append(" | ").append(d == null ? "" : Double.isFinite(d.get(headline).low()) ? d.get(headline).format() : "-");
            Significance.PairedTest t = sig.perDrug().get(e.getKey());
            sb.append(" | ").append(t == null ? "" : String.format(Locale.ROOT, "%.3g", t.p()))
                    .append(" | ").append(t == null ? "" : String.format(Locale.ROOT, "%.3g", t.holmP())).append(" |\n");
        }
        if (sig.caveat() != null) {
            sb.append("\nNote: ").append(sig.caveat()).append(".\n");
        }
        if (sig.skipped() != null) {
            sb.append("\nPaired test over drugs: ").append(sig.skipped()).append(".\n");
        }
    }

    /** Each external study's scores beside the model's and every baseline's (metrics.json's external block). */
    @SuppressWarnings("unchecked")
    private static void external(StringBuilder sb, Map<String, Object> external) {
        external.forEach((name, v) -> {
            Map<String, Object> x = (Map<String, Object>) v;
            Map<String, Object> test = (Map<String, Object>) x.get("test");
            Map<String, Object> baselines = (Map<String, Object>) x.get("baselines");
            sb.append(String.format(Locale.ROOT, "%n## Cross-study: %s%n%nTrained on the primary study only; %s rows of %s scored (%s dropped "
                    + "by the split's rule). Study join: %s.%n%n", name, test.get("n"), ((Map<String, Object>) x.get("study")).get("rows"),
                    x.get("dropped_rows"), x.get("study")));
            List<String> keys = test.keySet().stream().filter(k -> !k.equals("n") && !k.equals("positives")).toList();
            sb.append("| predictor | ").append(String.join(" | ", keys)).append(" |\n|---|").append("---|".repeat(keys.size())).append('\n');
            Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
            rows.put("model", test);
            baselines.forEach((b, m) -> rows.put(b, (Map<String, Object>) m));
            rows.forEach((p, m) -> {
                sb.append("| ").append(p);
                keys.forEach(k -> sb.append(" | ").append(fmt(m.get(k))));
                sb.append(" |\n");
            });
        });
    }

    @SuppressWarnings("unchecked")
    private static void explain(StringBuilder sb, Map<String, Object> x) {
        sb.append(String.format(Locale.ROOT, "%n## What drove the predictions%n%n%s over %s test rows (%s); baseline: %s. Attributions are in %s.%n",
                String.valueOf(x.get("method")).replace('_', ' ') + (x.get("steps") != null ? " (" + x.get("steps") + " steps)" : ""),
                x.get("rows_explained"), "explanations.csv holds each one's top features", x.get("baseline"), x.get("units")));
        if (x.get("completeness") instanceof Map<?, ?> comp && comp.get("median_relative_error") instanceof Number med) {
            sb.append(String.format(Locale.ROOT, "Completeness: the attributions of a row sum to f(x) - f(baseline) within %.2f%% (median) and "
                    + "%.1f%% of rows within 1%%.%n", 100 * med.doubleValue(), 100 * ((Number) comp.get("within_1_percent")).doubleValue()));
        }
        sb.append("\n| input table | share of attribution | top features (mean abs attribution) |\n|---|---:|---|\n");
        Map<String, Object> tables = (Map<String, Object>) x.get("tables");
        tables.forEach((name, v) -> {
            Map<String, Object> t = (Map<String, Object>) v;
            List<Map<String, Object>> top = (List<Map<String, Object>>) t.get("top");
            sb.append(String.format(Locale.ROOT, "| %s | %.1f%% | %s |%n", name, 100 * ((Number) t.getOrDefault("share", 0.0)).doubleValue(),
                    String.join(", ", top.stream().limit(5).map(f -> f.get("feature") + String.format(Locale.ROOT, " (%.3f)",
                            ((Number) f.get("mean_abs_attribution")).doubleValue())).toList())));
        });
        Map<String, Object> perm = (Map<String, Object>) x.get("permutation");
        if (perm != null) {
            sb.append(String.format(Locale.ROOT, "%nPermutation importance (test %s lost when shuffled across the test rows, mean ± sd over %s "
                    + "repeats; reference %.3f):%n%n| shuffled | score drop |%n|---|---:|%n", String.valueOf(perm.get("metric")).toUpperCase(Locale.ROOT),
                    perm.get("repeats"), ((Number) perm.get("reference")).doubleValue()));
            ((Map<String, Object>) perm.get("tables")).forEach((name, v) -> sb.append(String.format(Locale.ROOT, "| table %s | %.3f ± %.3f |%n", name,
                    ((Number) ((Map<String, Object>) v).get("score_drop_mean")).doubleValue(), ((Number) ((Map<String, Object>) v).get("score_drop_sd")).doubleValue())));
            for (Map<String, Object> f : (List<Map<String, Object>>) perm.get("features")) {
                sb.append(String.format(Locale.ROOT, "| %s: %s | %.4f ± %.4f |%n", f.get("table"), f.get("feature"),
                        ((Number) f.get("score_drop_mean")).doubleValue(), ((Number) f.get("score_drop_sd")).doubleValue()));
            }
        }
        if (x.get("per_drug") instanceof Map<?, ?> drugs) {
            sb.append(String.format(Locale.ROOT, "%nTop %s features per drug (mean abs attribution over the drug's explained rows):%n%n| drug | rows | top 3 |%n|---|---:|---|%n",
                    x.get("per_drug_table")));
            drugs.forEach((drug, v) -> {
                Map<String, Object> d = (Map<String, Object>) v;
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s |%n", drug, d.get("rows"), String.join(", ",
                        ((List<Map<String, Object>>) d.get("top")).stream().limit(3).map(f -> String.valueOf(f.get("feature"))).toList())));
            });
        }
    }

    @SuppressWarnings("unchecked")
    private static void uncertainty(StringBuilder sb, Map<String, Object> u) {
        boolean sets = u.containsKey("mean_set_size");
        sb.append(String.format(Locale.ROOT, "%n## How sure: prediction %s%n%n%s, calibrated on %s calibration rows (held out of training, validation and test: they "
                        + "chose nothing). At the nominal %.4g%%: test "
                        + "coverage %.3f, mean %s %.3f.%n%n| nominal | test coverage | mean %s |%n|---:|---:|---:|%n", sets ? "sets" : "intervals", u.get("method"),
                u.get("calibration_rows"), 100 * ((Number) u.get("level")).doubleValue(), ((Number) u.get("coverage")).doubleValue(),
                sets ? "set size" : "width", ((Number) u.get(sets ? "mean_set_size" : "mean_width")).doubleValue(), sets ? "set size" : "width"));
        ((Map<String, Object>) u.get("levels")).forEach((level, v) -> {
            Map<String, Object> l = (Map<String, Object>) v;
            sb.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f |%n", level, ((Number) l.get("coverage")).doubleValue(),
                    ((Number) l.get(sets ? "mean_set_size" : "mean_width")).doubleValue()));
        });
    }

    @SuppressWarnings("unchecked")
    private static void fairness(StringBuilder sb, Map<String, Object> f) {
        sb.append("\n## For whom the model works worse\n\n");
        f.forEach((column, v) -> {
            Map<String, Object> c = (Map<String, Object>) v;
            String metric = String.valueOf(c.get("metric"));
            Map<String, Object> d = (Map<String, Object>) c.get("disparity");
            if (d == null) {
                sb.append(String.format(Locale.ROOT, "By %s: %s.%n", column, c.get("note")));
            } else {
                List<?> iv = (List<?>) d.get("gap_interval");
                sb.append(String.format(Locale.ROOT, "By %s: worst %s (%s %.3f), best %s (%.3f); gap (worst - best) %.3f [95%% bootstrap %s, %s], ratio %.2f; "
                                + "permutation p = %.3f: %s.%n", column, d.get("worst"), metric.toUpperCase(Locale.ROOT),
                        ((Number) d.get("worst_" + metric)).doubleValue(), d.get("best"), ((Number) d.get("best_" + metric)).doubleValue(),
                        ((Number) d.get("gap")).doubleValue(), fmt(iv.get(0)), fmt(iv.get(1)),
                        ((Number) d.get("ratio")).doubleValue(), ((Number) d.get("permutation_p")).doubleValue(),
                        Boolean.TRUE.equals(d.get("larger_than_chance")) ? "larger than chance" : "within what chance gives"));
            }
            List<?> small = (List<?>) c.get("too_small_to_score");
            if (!small.isEmpty()) {
                sb.append(String.format(Locale.ROOT, "Too small to score (%s): %s.%n", c.get("minimum"), String.join(", ", small.stream().map(String::valueOf).toList())));
            }
            sb.append(String.format(Locale.ROOT, "%n| %s | rows | samples | %s |%n|---|---:|---:|---:|%n", column, metric));
            for (Map<String, Object> g : (List<Map<String, Object>>) c.get("groups")) {
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", g.get("group"), g.get("rows"), g.get("samples"),
                        g.get(metric) instanceof Number n ? String.format(Locale.ROOT, "%.3f", n.doubleValue()) : "too small"));
            }
            sb.append('\n');
        });
    }

    @SuppressWarnings("unchecked")
    private static void randomization(StringBuilder sb, Map<String, Object> r) {
        Map<String, Object> model = (Map<String, Object>) r.get("model");
        Map<String, Object> tables = (Map<String, Object>) r.get("tables");
        sb.append(String.format(Locale.ROOT, "%n## Randomisation tests%n%nEach input table %s in turn, the network trained again on fold %s "
                + "(%s repeat(s)); change = randomised minus the model's score (mean ± sd). %s.%n%n", "permute".equals(r.get("kind"))
                ? "with its rows permuted" : "replaced by its training mean", r.get("fold"), r.get("repeats"),
                Character.toUpperCase(String.valueOf(r.get("rule")).charAt(0)) + String.valueOf(r.get("rule")).substring(1)));
        sb.append("| table | ").append(String.join(" | ", model.keySet())).append(" | relied on |\n|---|")
                .append("---|".repeat(model.size() + 1)).append('\n');
        sb.append("| (model) |");
        model.values().forEach(v -> sb.append(' ').append(fmt(v)).append(" |"));
        sb.append(" |\n");
        tables.forEach((name, t) -> {
            Map<String, Object> m = (Map<String, Object>) t;
            sb.append("| ").append(name).append(" |");
            for (String k : model.keySet()) {
                Map<String, Object> s = (Map<String, Object>) m.get(k);
                sb.append(' ').append(fmt(s.get("mean"))).append(" (").append(fmt(s.get("change_mean"))).append(" ± ")
                        .append(fmt(s.get("change_sd"))).append(") |");
            }
            sb.append(' ').append(Boolean.TRUE.equals(m.get("relied_on")) ? "yes" : "no").append(" |\n");
        });
    }

    private static void groupTable(StringBuilder sb, String key, GroupedMetrics g) {
        if (g.groups().isEmpty()) {
            return;
        }
        List<String> keys = new ArrayList<>(g.groups().values().iterator().next().toMap().keySet());
        sb.append("| ").append(key).append(" | ").append(String.join(" | ", keys)).append(" |\n|---|").append("---|".repeat(keys.size())).append('\n');
        for (Map.Entry<String, Scores> e : g.groups().entrySet()) {
            sb.append("| ").append(e.getKey());
            for (String k : keys) {
                sb.append(" | ").append(fmt(e.getValue().toMap().get(k)));
            }
            sb.append(" |\n");
        }
    }

    private static String fmt(Object v) {
        if (v instanceof Integer || v instanceof Long) {
            return v.toString();
        }
        return v instanceof Number n && Double.isFinite(n.doubleValue()) ? String.format(Locale.ROOT, "%.3f", n.doubleValue()) : "-";
    }

    /** A small, dependency-free rendering of the markdown: headings, tables, paragraphs and images. */
    static String html(Content c, String md, List<String[]> charts) {
        StringBuilder sb = new StringBuilder("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Run ").append(esc(c.runId()))
                .append("</title>\n<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}"
                        + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
                        + "td:first-child,th:first-child{text-align:left}img{max-width:100%}</style></head><body>\n");
        boolean inTable = false;
        boolean header = false;
        for (String line : md.split("\n")) {
            if (line.startsWith("|")) {
                if (line.matches("\\|(-+\\|)+")) {
                    continue;
                }
                if (!inTable) {
                    sb.append("<table>\n");
                    inTable = true;
                    header = true;
                }
                String[] cells = line.substring(1, line.length() - 1).split("\\|");
                sb.append("<tr>");
                for (String cell : cells) {
                    sb.append(header ? "<th>" : "<td>").append(esc(cell.trim())).append(header ? "</th>" : "</td>");
                }
                sb.append("</tr>\n");
                header = false;
                continue;
            }
            if (inTable) {
                sb.append("</table>\n");
                inTable = false;
            }
            if (line.startsWith("## ")) {
                sb.append("<h2>").append(esc(line.substring(3))).append("</h2>\n");
            } else if (line.startsWith("# ")) {
                sb.append("<h1>").append(esc(line.substring(2))).append("</h1>\n");
            } else if (line.startsWith("![")) {
                int mid = line.indexOf("](");
                sb.append("<figure><img src=\"").append(esc(line.substring(mid + 2, line.length() - 1))).append("\" alt=\"")
                        .append(esc(line.substring(2, mid))).append("\"><figcaption>").append(esc(line.substring(2, mid)))
                        .append("</figcaption></figure>\n");
            } else if (!line.isBlank()) {
                sb.append("<p>").append(esc(line)).append("</p>\n");
            }
        }
        if (inTable) {
            sb.append("</table>\n");
        }
        return sb.append("</body></html>\n").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
