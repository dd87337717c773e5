package org.oncobench.eval;

import java.util.Map;

/** Metrics of one predictor on one set of rows, regression or classification. */
public interface Scores {
    /** The rows scored. */
    int n();

    /** The metric runs are ranked by: RMSE for regression (lower is better), ROC-AUC for classification. */
    double headline();

    String headlineName();

    boolean higherIsBetter();

    /** The per-group summary metric (Pearson for regression, AUC for classification), NaN when undefined. */
    double groupMetric();

    String groupMetricName();

    Map<String, Object> toMap();

    /** Scores for a task: observed values (0/1 for classification) against predictions (probabilities). */
    static Scores of(boolean classification, double[] observed, double[] predicted) {
        return classification ? ClassificationMetrics.of(observed, predicted) : RegressionMetrics.of(observed, predicted);
    }

    default boolean betterThan(Scores other) {
        if (!Double.isFinite(other.headline())) {
            return Double.isFinite(headline());
        }
        return higherIsBetter() ? headline() > other.headline() : headline() < other.headline();
    }
}
