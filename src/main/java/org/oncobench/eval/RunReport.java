package org.oncobench.eval;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;

import org.oncobench.data.DrugAnnotations;

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
 * the distribution of per-drug Pearson, training curves, and the ROC curve for classification. The markdown is the
 * report's one text; {@link ReportHtml} renders it as a self-contained page (styles and charts inline).
 */
public final class RunReport {

    /**
     * What a report shows; history arrays are per epoch of the first fold; {@code parts} are the post-training
     * analyses' contributions, in their order; {@code details} what the report adds around them.
     */
    public record Content(String runId, String name, String task, String target, String split, String model, EvaluationReport report,
                          double[] observed, double[] predicted, double[] trainLoss, double[] validation, String validationName,
                          Map<String, Object> foldSummary, List<? extends ReportPart> parts, Details details) {
        public Content(String runId, String name, String task, String target, String split, String model, EvaluationReport report,
                       double[] observed, double[] predicted, double[] trainLoss, double[] validation, String validationName,
                       Map<String, Object> foldSummary, List<? extends ReportPart> parts) {
            this(runId, name, task, target, split, model, report, observed, predicted, trainLoss, validation, validationName, foldSummary, parts,
                    Details.NONE);
        }
    }

    /**
     * The verdict (null: none), the bootstrap intervals of the test metrics (null: none drawn), the model beside the best
     * baseline per drug and per group column, with intervals, and the drugs' names and targets.
     */
    public record Details(Verdict verdict, Significance significance, GroupComparison perDrug, Map<String, GroupComparison> perGroup,
                          DrugAnnotations drugs) {
        public static final Details NONE = new Details(null, null, null, Map.of(), DrugAnnotations.NONE);
    }

    private RunReport() {
    }

    public static void write(Path dir, Content c) throws IOException {
        boolean classification = "classification".equals(c.task());
        Significance sig = c.details().significance();
        List<String[]> charts = new ArrayList<>(); // file, caption
        // no within-study test rows (split.test: 0 with an external study): nothing to plot for them
        if (c.observed().length > 0 && classification) {
            charts.add(new String[]{chart(dir, "roc.png", Charts.roc(c.observed(), c.predicted())), "ROC curve on the test rows"});
            if (!c.report().calibration().isEmpty()) {
                charts.add(new String[]{chart(dir, "calibration.png", Charts.reliability(c.report().calibration())),
                        "Calibration on the test rows: observed positive rate against predicted probability, model and baselines"});
            }
        } else if (c.observed().length > 0) {
            Map<String, Significance.Interval> model = sig == null ? Map.of() : sig.intervals().getOrDefault(Significance.MODEL, Map.of());
            charts.add(new String[]{chart(dir, "predicted_vs_observed.png", Charts.scatter(c.observed(), c.predicted(), c.target(),
                    model.get("pearson"), model.get("rmse"))), "Predicted vs observed " + c.target() + " on the test rows"});
            if (c.report().perDrug() != null && c.report().perDrug().groupsWithMetric() > 0) {
                charts.add(new String[]{chart(dir, "per_drug_pearson.png", Charts.histogram(c.report().perDrug())), "Per-drug Pearson on the test rows"});
            }
        }
        if (c.trainLoss().length > 0) {
            charts.add(new String[]{chart(dir, "training_curves.png", Charts.curves(c.trainLoss(), c.validation(), c.validationName(), c.target(),
                    classification)), "Training loss (left axis) and validation " + c.validationName() + " (right axis) per epoch"});
        }
        for (ReportPart part : c.parts()) {
            for (ReportPart.Chart chart : part.charts()) {
                charts.add(new String[]{chart(dir, chart.file(), chart.chart()), chart.caption()});
            }
        }
        Map<String, Object> provenance = readJson(dir.resolve("provenance.json"));
        Map<String, Object> runJson = readJson(dir.resolve("run.json"));
        String md = markdown(c, charts) + ReportProvenance.markdown(provenance, runJson);
        Files.writeString(dir.resolve("report.md"), md, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("report.html"), ReportHtml.page(c, md, dir), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readJson(Path file) {
        try {
            return Files.isRegularFile(file) ? new com.fasterxml.jackson.databind.ObjectMapper().readValue(file.toFile(), Map.class) : Map.of();
        } catch (IOException e) {
            return Map.of();
        }
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
        sb.append("# ").append(c.name()).append(": run ").append(c.runId()).append("\n\n");
        sb.append("| setting | value |\n|---|---|\n");
        for (String[] kv : new String[][]{{"experiment", c.name()}, {"task", c.task()}, {"target", c.target()}, {"split", c.split()},
                {"model", c.model()}}) {
            sb.append("| ").append(kv[0]).append(" | ").append(esc(kv[1])).append(" |\n");
        }
        c.parts().forEach(part -> sb.append(part.summaryLine())); // the verdict first: what the reader came for
        metricsTable(sb, c.report(), c.details().significance());
        sb.append("\nBest baseline: ").append(c.report().bestBaseline()).append(". Baselines are fitted on the same training rows as the model.\n");
        if (!c.report().beyondMeanEffects().isEmpty()) {
            sb.append("\n*beyond ME (DrEval's normalised metrics, `*").append(BeyondMeanEffects.SUFFIX).append("` in metrics.json): ").append(BeyondMeanEffects.MEANING).append(".\n");
        }
        c.parts().forEach(part -> sb.append(part.section()));
        foldTable(sb, c.foldSummary());
        GroupedMetrics perDrug = c.report().perDrug();
        if (perDrug != null) {
            sb.append(String.format(Locale.ROOT, "%n## Per drug%n%n%s across %d drugs: mean %s, median %s.%n", perDrug.metricName(),
                    perDrug.groupsWithMetric(), fmt(perDrug.mean()), fmt(perDrug.median())));
            if (c.details().perDrug() != null) {
                comparisonTable(sb, "drug", c.details().perDrug(), c.details().drugs());
            } else {
                sb.append('\n');
                groupTable(sb, "drug", perDrug);
            }
        }
        for (Map.Entry<String, GroupedMetrics> g : c.report().perGroup().entrySet()) {
            sb.append("\n## Per ").append(g.getKey()).append("\n");
            GroupComparison cmp = c.details().perGroup().get(g.getKey());
            if (cmp != null) {
                comparisonTable(sb, g.getKey(), cmp, null);
            } else {
                sb.append('\n');
                groupTable(sb, g.getKey(), g.getValue());
            }
        }
        sb.append("\n## Charts\n\n");
        for (String[] chart : charts) {
            sb.append("![").append(chart[1]).append("](").append(chart[0]).append(")\n\n");
        }
        return sb.toString();
    }

    /**
     * Each group's model beside the best baseline, every number with its interval; a drug's name and target when the
     * drug files carry them.
     */
    private static void comparisonTable(StringBuilder sb, String key, GroupComparison cmp, DrugAnnotations drugs) {
        if (cmp.groups().isEmpty()) {
            return;
        }
        boolean named = drugs != null && cmp.groups().keySet().stream().anyMatch(id -> drugs.of(id) != null);
        String base = cmp.baseline();
        sb.append('\n').append(base == null ? "The model" : "The model beside the best baseline (" + base + ")").append(" on each ").append(key)
                .append("'s test rows; ").append(cmp.resamples() > 0 ? String.format(Locale.ROOT,
                        "95%% bootstrap intervals over the %s's test samples (%d resamples, seeded).", key, cmp.resamples())
                        : "no intervals (evaluation.bootstrap: 0).").append("\n\n");
        sb.append("| ").append(key).append(named ? " | name | target" : "").append(" | n");
        StringBuilder align = new StringBuilder("|---|").append(named ? "---|---|" : "").append("---:|");
        for (String m : cmp.metrics()) {
            sb.append(" | model ").append(m);
            align.append("---:|");
            if (base != null) {
                sb.append(" | ").append(base).append(' ').append(m);
                align.append("---:|");
            }
        }
        sb.append(" |\n").append(align).append('\n');
        for (Map.Entry<String, GroupComparison.Row> e : cmp.groups().entrySet()) {
            sb.append("| ").append(esc(e.getKey()));
            if (named) {
                DrugAnnotations.Drug d = drugs.of(e.getKey());
                sb.append(" | ").append(d == null || d.name().isEmpty() ? "-" : esc(d.name())).append(" | ")
                        .append(d == null || d.target().isEmpty() ? "-" : esc(d.target()));
            }
            sb.append(" | ").append(e.getValue().n());
            for (String m : cmp.metrics()) {
                sb.append(" | ").append(Formats.interval(e.getValue().model().get(m)));
                if (base != null) {
                    sb.append(" | ").append(Formats.interval(e.getValue().baseline().get(m)));
                }
            }
            sb.append(" |\n");
        }
    }

    /** The test metrics of the model and each baseline, one row per predictor. */
    private static void metricsTable(StringBuilder sb, EvaluationReport report, Significance sig) {
        sb.append("\n## Test metrics beside the baselines\n\n");
        if (sig != null) {
            sb.append(String.format(Locale.ROOT, "With 95%% bootstrap intervals over %d %s (%d resamples) where they are drawn (%s); the other "
                    + "metrics are point estimates.%n%n", sig.units(), sig.unit(), sig.resamples(),
                    String.join(", ", sig.intervals().getOrDefault(Significance.MODEL, Map.of()).keySet())));
        }
        Map<String, Object> maps = report.toMap();
        Map<String, Map<?, ?>> rows = new LinkedHashMap<>();
        rows.put("model", (Map<?, ?>) maps.get("test"));
        ((Map<?, ?>) maps.get("baselines")).forEach((k, v) -> rows.put(String.valueOf(k), (Map<?, ?>) v));
        List<String> keys = new ArrayList<>();
        ((Map<?, ?>) maps.get("test")).forEach((k, v) -> {
            if (!(v instanceof Map<?, ?>)) {
                keys.add(String.valueOf(k));
            }
        });
        sb.append("| predictor | ").append(String.join(" | ", keys.stream().map(k -> k.replace(BeyondMeanEffects.SUFFIX, " beyond ME*")).toList()))
                .append(" |\n|---|");
        sb.append("---:|".repeat(keys.size())).append('\n');
        for (Map.Entry<String, Map<?, ?>> e : rows.entrySet()) {
            sb.append("| ").append(e.getKey());
            Map<String, Significance.Interval> intervals = sig == null ? Map.of() : sig.intervals().getOrDefault(e.getKey(), Map.of());
            for (String k : keys) {
                Significance.Interval i = intervals.get(k);
                sb.append(" | ").append(i != null && Double.isFinite(i.estimate()) ? Formats.interval(i) : fmt(e.getValue().get(k)));
            }
            sb.append(" |\n");
        }
    }

    /** A k-fold run's mean ± sd of each metric across folds (nothing for a single split). */
    private static void foldTable(StringBuilder sb, Map<String, Object> foldSummary) {
        if (foldSummary == null) {
            return;
        }
        sb.append("\n## Across folds (mean ± sd)\n\n");
        Map<?, ?> model = (Map<?, ?>) foldSummary.get("model");
        sb.append("| metric | model |\n|---|---:|\n");
        for (Map.Entry<?, ?> e : model.entrySet()) {
            Map<?, ?> stat = (Map<?, ?>) e.getValue();
            sb.append("| ").append(e.getKey()).append(" | ").append(fmt(stat.get("mean"))).append(" ± ").append(fmt(stat.get("sd")))
                    .append(" (").append(stat.get("folds")).append(" folds) |\n");
        }
    }

    private static void groupTable(StringBuilder sb, String key, GroupedMetrics g) {
        if (g.groups().isEmpty()) {
            return;
        }
        List<String> keys = new ArrayList<>(g.groups().values().iterator().next().toMap().keySet());
        sb.append("| ").append(key).append(" | ").append(String.join(" | ", keys)).append(" |\n|---|").append("---:|".repeat(keys.size())).append('\n');
        for (Map.Entry<String, Scores> e : g.groups().entrySet()) {
            sb.append("| ").append(e.getKey());
            for (String k : keys) {
                sb.append(" | ").append(fmt(e.getValue().toMap().get(k)));
            }
            sb.append(" |\n");
        }
    }

    private static String fmt(Object v) {
        return Formats.report(v);
    }

    private static String esc(String s) {
        return s.replace("|", "\\|");
    }
}
