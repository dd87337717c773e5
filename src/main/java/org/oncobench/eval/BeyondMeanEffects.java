package org.oncobench.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Metrics normalised by the mean-effects predictor, as DrEval defines them (drevalpy, visualization/normalize_metrics:
 * "normalize metrics by subtracting NaiveMeanEffectsPredictor"): the mean-effects prediction m (global mean + drug
 * effect + cell line effect, here the additive drug + cell baseline fitted on the training rows) is subtracted from both
 * the observed and the predicted response, and Pearson, Spearman and R² are computed on y - m against y_hat - m. What
 * is left is what a predictor explains beyond the drug and cell line averages: the mean-effects predictor itself scores
 * nothing (undefined), and a positive value is "beats the mean effects" at a glance. Error metrics (RMSE) are unchanged
 * by the subtraction and not repeated. Named {@code *_beyond_mean_effects} in metrics.json.
 */
public record BeyondMeanEffects(RegressionMetrics overall, GroupedMetrics perDrug) {
    public static final String SUFFIX = "_beyond_mean_effects";

    /** @param drugOfRow each row's drug (null for per-sample tasks, where there is no per-drug block) */
    public static BeyondMeanEffects of(double[] observed, double[] predicted, double[] meanEffects, String[] drugOfRow) {
        double[] y = new double[observed.length];
        double[] p = new double[observed.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = observed[i] - meanEffects[i];
            p[i] = predicted[i] - meanEffects[i];
        }
        return new BeyondMeanEffects(RegressionMetrics.of(y, p), drugOfRow == null ? null : GroupedMetrics.of(drugOfRow, y, p, false));
    }

    /** pearson/spearman/r2 beyond mean effects, to sit beside a predictor's plain metrics. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pearson" + SUFFIX, RegressionMetrics.finite(overall.pearson()));
        m.put("spearman" + SUFFIX, RegressionMetrics.finite(overall.spearman()));
        m.put("r2" + SUFFIX, RegressionMetrics.finite(overall.r2()));
        return m;
    }

    /** Mean and median across drugs of the per-drug Pearson beyond mean effects. */
    public Map<String, Object> perDrugSummary() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (perDrug != null) {
            m.put("pearson" + SUFFIX + "_mean", RegressionMetrics.finite(perDrug.mean()));
            m.put("pearson" + SUFFIX + "_median", RegressionMetrics.finite(perDrug.median()));
        }
        return m;
    }
}
