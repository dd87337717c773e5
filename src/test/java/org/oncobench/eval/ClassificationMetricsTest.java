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

    @Test
    void matchesHandComputedValuesWithTiedScores() {
        // positives score 0.9, 0.8, 0.6, 0.2; negatives 0.8, 0.6, 0.3, 0.1 (ties across the classes at 0.8 and 0.6).
        // AUC by counting pairs, ties half: 4 + 3.5 + 2.5 + 1 = 11 of 16 = 0.6875.
        // At 0.5: TP 3, FP 2, FN 1, 5 of 8 right; F1 = 6 / 9; Brier = 1.95 / 8; log loss computed term by term (Python, math.log).
        double[] observed = {1, 0, 1, 1, 0, 0, 1, 0};
        double[] score = {0.9, 0.8, 0.8, 0.6, 0.6, 0.3, 0.2, 0.1};
        ClassificationMetrics m = ClassificationMetrics.of(observed, score);
        assertEquals(0.6875, m.auc(), EPS);
        assertEquals(0.625, m.accuracy(), EPS);
        assertEquals(6.0 / 9.0, m.f1(), EPS);
        assertEquals(0.24375, m.brier(), EPS);
        assertEquals(0.6795664633846176, m.logLoss(), EPS);
        assertEquals(4, m.positives());
    }
}
