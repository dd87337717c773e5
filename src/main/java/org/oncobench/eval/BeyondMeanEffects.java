package org.oncobench.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Metrics normalised by the mean-effects predictor, as DrEval defines them (daisybio/drevalpy,
 * drevalpy/visualization/utils.py {@code _normalize_metrics_by_mean_effects} at commit
 * f3afe3282643736921c5d91ff810bbcb80093cbd): the NaiveMeanEffectsPredictor's prediction m (overall mean + cell-line
 * effect + drug effect fitted on the training rows: {@link Baselines}' {@code drug_cell_additive}) is subtracted from
 * both the observed and the predicted response, and Pearson, Spearman and R² are computed on y - m against y_hat - m;
 * error metrics (RMSE) are unchanged by the subtraction and not repeated. Named {@code *_beyond_mean_effects} in
 * metrics.json.
 * <p>
 * What a value means ({@link #MEANING}): the mean-effects predictor itself scores nothing (undefined), but 0 is not the
 * bar. A constant prediction c scores Pearson(y - m, c - m) = -corr(y - m, m) on the test rows, and so does any
 * shrinkage of the mean effects towards the overall mean (m' = mean + k(m - mean), 0 <= k < 1): positive whenever the
 * slope of y on m is below 1 on the test rows, cov(y, m) < var(m) (effects estimated on few training rows, or carried
 * to cell lines and drugs they do not fit), negative when it is above 1. The global_mean baseline's value beside
 * a predictor's is that bar.
 */
public record BeyondMeanEffects(RegressionMetrics overall, GroupedMetrics perDrug) {
    public static final String SUFFIX = "_beyond_mean_effects";
    /** The footnote the console and the report print under a table with these metrics. */
    public static final String MEANING = "Pearson of what is left after DrEval's mean-effects predictor m (overall mean + cell-line effect + drug "
            + "effect, fitted on the training rows) is subtracted from both observed and predicted. Above 0 means the predictor's departures from m "
            + "go the same way as the observed ones, not that it learned anything beyond the averages: a constant (global_mean's row) scores "
            + "-corr(y - m, m), which is above 0 whenever the test responses rise by less than m does";

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
