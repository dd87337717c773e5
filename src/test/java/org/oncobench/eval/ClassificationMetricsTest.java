package org.oncobench.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassificationMetricsTest {
    private static final double EPS = 1e-12;

    @Test
    void nonFiniteScoresGiveNoMetric() {
        double[] observed = {0, 1, 0, 1, 1};
        ClassificationMetrics all = ClassificationMetrics.of(observed, new double[]{Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN});
        assertTrue(Double.isNaN(all.auc()), "AUC of all-NaN scores: " + all.auc());
        assertTrue(Double.isNaN(all.accuracy()) && Double.isNaN(all.brier()) && Double.isNaN(all.logLoss()) && Double.isNaN(all.f1()), all.toString());
        ClassificationMetrics one = ClassificationMetrics.of(observed, new double[]{0.1, 0.9, Double.NaN, 0.8, 0.7});
        assertTrue(Double.isNaN(one.auc()), "AUC with one NaN score: " + one.auc());
        assertEquals(5, one.n());
        assertEquals(3, one.positives());
    }
}
