package org.oncobench.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegressionMetricsTest {
    private static final double EPS = 1e-12;

    @Test
    void matchesHandComputedValues() {
        // observed 1..4, predicted in two tied pairs.
        // errors ±0.5 -> RMSE 0.5; SS_res = 1, SS_tot = 5 -> R² = 0.8;
        // deviations (-1.5,-0.5,0.5,1.5) and (-1,-1,1,1): Pearson = 4 / sqrt(5 * 4) = 0.894427...
        RegressionMetrics m = RegressionMetrics.of(new double[]{1, 2, 3, 4}, new double[]{1.5, 1.5, 3.5, 3.5});
        assertEquals(4, m.n());
        assertEquals(0.5, m.rmse(), EPS);
        assertEquals(0.8, m.r2(), EPS);
        assertEquals(4 / Math.sqrt(20), m.pearson(), EPS);
        // ranks (1,2,3,4) vs tied ranks (1.5,1.5,3.5,3.5): same shape, same value
        assertEquals(4 / Math.sqrt(20), m.spearman(), EPS);
    }

    @Test
    void spearmanIsPearsonOfRanksAndIgnoresMonotoneTransforms() {
        double[] x = {0.1, 0.5, 0.2, 0.9, 0.7};
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.exp(10 * x[i]);
        }
        RegressionMetrics m = RegressionMetrics.of(x, y);
        assertEquals(1.0, m.spearman(), EPS);
        assertTrue(m.pearson() < 0.95, "Pearson sees the non-linearity: " + m.pearson());
        // reversed order: -1
        assertEquals(-1.0, RegressionMetrics.of(new double[]{1, 2, 3}, new double[]{3, 2, 1}).spearman(), EPS);
    }

    @Test
    void ranksAverageTies() {
        assertArrayEquals(new double[]{2.5, 1, 2.5, 4}, org.oncobench.stats.Ranks.average(new double[]{5, 1, 5, 9}), EPS);
    }

    @Test
    void constantPredictionsHaveNoCorrelation() {
        RegressionMetrics m = RegressionMetrics.of(new double[]{1, 2, 4}, new double[]{0.3, 0.3, 0.3});
        assertTrue(Double.isNaN(m.pearson()));
        assertTrue(Double.isNaN(m.spearman()));
        // RMSE = sqrt(((0.7)^2 + (1.7)^2 + (3.7)^2) / 3)
        assertEquals(Math.sqrt((0.49 + 2.89 + 13.69) / 3), m.rmse(), 1e-12);
        assertEquals(null, m.toMap().get("pearson"));
    }

    @Test
    void anyNonFinitePredictionMakesEveryMetricUndefined() {
        double[] observed = {1, 2, 3, 4, 5};
        RegressionMetrics m = RegressionMetrics.of(observed, new double[]{1, 2, Double.NaN, 4, 5});
        assertEquals(5, m.n());
        assertTrue(Double.isNaN(m.rmse()) && Double.isNaN(m.pearson()) && Double.isNaN(m.spearman()) && Double.isNaN(m.r2()), m.toString());
        RegressionMetrics inf = RegressionMetrics.of(observed, new double[]{1, 2, 3, Double.POSITIVE_INFINITY, 5});
        assertTrue(Double.isNaN(inf.spearman()) && Double.isNaN(inf.rmse()), inf.toString());
        assertEquals(1, RegressionMetrics.nonFinite(new double[]{1, Double.NaN, 3}));
    }
}
