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

    /**
     * What a report shows; history arrays are per epoch of the first fold; {@code parts} are the post-training
     * analyses' contributions, in their order.
     */
    public record Content(String runId, String name, String task, String target, String split, String model, EvaluationReport report,
                          double[] observed, double[] predicted, double[] trainLoss, double[] validation, String validationName,
                          Map<String, Object> foldSummary, List<? extends ReportPart> parts) {
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
        for (ReportPart part : c.parts()) {
            for (ReportPart.Chart chart : part.charts()) {
                charts.add(new String[]{chart(dir, chart.file(), chart.chart()), chart.caption()});
            }
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
        metricsTable(sb, c.report());
        sb.append("\nBest baseline: ").append(c.report().bestBaseline()).append(". Baselines are fitted on the same training rows as the model.\n");
        c.parts().forEach(part -> sb.append(part.summaryLine()));
        if (!c.report().beyondMeanEffects().isEmpty()) {
            sb.append("\n*_beyond_mean_effects (DrEval's normalised metrics): ").append(BeyondMeanEffects.MEANING).append(".\n");
        }
        c.parts().forEach(part -> sb.append(part.section()));
        foldTable(sb, c.foldSummary());
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

    /** The test metrics of the model and each baseline, one row per predictor. */
    private static void metricsTable(StringBuilder sb, EvaluationReport report) {
        sb.append("\n## Test metrics beside the baselines\n\n");
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
        sb.append("| predictor | ").append(String.join(" | ", keys)).append(" |\n|---|");
        sb.append("---|".repeat(keys.size())).append('\n');
        for (Map.Entry<String, Map<?, ?>> e : rows.entrySet()) {
            sb.append("| ").append(e.getKey());
            for (String k : keys) {
                sb.append(" | ").append(fmt(e.getValue().get(k)));
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
        sb.append("| metric | model |\n|---|---|\n");
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
        return Formats.report(v);
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
