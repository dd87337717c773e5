package org.oncobench.api;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.oncobench.eval.Charts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Charts of runs, drawn by the same code as the run reports (XChart); the oncobench kernel shows them inline as PNG,
 * and {@code BitmapEncoder.saveBitmap(chart, "file", PNG)} saves them.
 */
public final class Plots {
    private Plots() {
    }

    /** Predicted against observed on the test rows (ROC curve for classification). */
    public static XYChart predictedVsObserved(Run run) {
        Table p = run.predictions().where("repeat", 1);
        double[] observed = p.column("observed");
        double[] predicted = p.column("predicted");
        return run.classification() ? Charts.roc(observed, predicted) : Charts.scatter(observed, predicted, run.json().path("target").asText());
    }

    /** The validation curve of each run (first fold of each), overlaid. */
    public static XYChart curves(Run... runs) {
        Map<String, double[]> series = new LinkedHashMap<>();
        String metric = "validation";
        for (Run run : runs) {
            Table h = run.history().filter(r -> !(r.get("fold") instanceof Number f) || f.intValue() == 1)
                    .filter(r -> !(r.get("repeat") instanceof Number rep) || rep.intValue() == 1);
            series.put(run.id(), h.column("validation"));
            metric = run.classification() ? "validation AUC" : "validation RMSE";
        }
        return Charts.lines("Validation curves", metric, series);
    }

    /** Training loss and validation metric of one run. */
    public static XYChart training(Run run) {
        Table h = run.history().filter(r -> !(r.get("fold") instanceof Number f) || f.intValue() == 1)
                .filter(r -> !(r.get("repeat") instanceof Number rep) || rep.intValue() == 1);
        return Charts.curves(h.column("train_loss"), h.column("validation"), run.classification() ? "AUC" : "RMSE", run.json().path("target").asText(null),
                run.classification());
    }

    /** The model's per-drug Pearson (AUC for classification), one bar per drug, best first. */
    public static CategoryChart perDrug(Run run) {
        String metric = run.classification() ? "auc" : "pearson";
        Table t = run.perDrug().sortByDescending(metric);
        return Charts.bars("Per-drug " + (run.classification() ? "AUC" : "Pearson") + " of " + run.id(), metric, t.labels("drug"),
                Map.of("model", t.column(metric)));
    }

    /** Per-drug results of several runs side by side, drugs in the first run's order. */
    public static CategoryChart perDrug(Run... runs) {
        if (runs.length == 1) {
            return perDrug(runs[0]);
        }
        String metric = runs[0].classification() ? "auc" : "pearson";
        List<String> drugs = runs[0].perDrug().sortByDescending(metric).labels("drug");
        Map<String, double[]> series = new LinkedHashMap<>();
        for (Run run : runs) {
            Map<String, Double> byDrug = new LinkedHashMap<>();
            for (Map<String, Object> r : run.perDrug().rows()) {
                byDrug.put(String.valueOf(r.get("drug")), r.get(metric) instanceof Number n ? n.doubleValue() : Double.NaN);
            }
            series.put(run.id(), drugs.stream().mapToDouble(d -> byDrug.getOrDefault(d, Double.NaN)).toArray());
        }
        return Charts.bars("Per-drug " + metric, metric, drugs, series);
    }
}
