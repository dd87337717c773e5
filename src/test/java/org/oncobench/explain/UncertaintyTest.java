package org.oncobench.explain;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UncertaintyTest {
    /** The conformal quantile is the ceil((n + 1) L)-th smallest score: with 9 scores 1..9, level 0.8 takes the 8th. */
    @Test
    void conformalQuantileByHand() {
        double[] scores = {9, 1, 8, 2, 7, 3, 6, 4, 5};
        assertEquals(8, Uncertainty.quantile(scores, 0.8));
        assertEquals(5, Uncertainty.quantile(scores, 0.5));
        assertEquals(Double.POSITIVE_INFINITY, Uncertainty.quantile(scores, 0.95), "ceil(10 x 0.95) = 10 > 9 scores: no finite interval");
        assertEquals(0.02, Uncertainty.floor(new double[]{1, 2, 3}), 1e-12);
    }

    /** Exchangeable scores: the calibrated quantile covers fresh scores at the nominal rate (split conformal's guarantee). */
    @Test
    void calibratedQuantileCoversFreshRowsAtTheNominalLevel() {
        Random r = new Random(5);
        double[] calibration = new double[500];
        for (int i = 0; i < calibration.length; i++) {
            calibration[i] = Math.abs(r.nextGaussian() * (1 + r.nextDouble()));
        }
        for (double level : Uncertainty.LEVELS) {
            double q = Uncertainty.quantile(calibration, level);
            int covered = 0;
            int n = 20_000;
            Random fresh = new Random(11);
            for (int i = 0; i < n; i++) {
                covered += Math.abs(fresh.nextGaussian() * (1 + fresh.nextDouble())) <= q ? 1 : 0;
            }
            double coverage = (double) covered / n;
            assertTrue(coverage >= level - 0.03 && coverage <= level + 0.04, "level " + level + ": coverage " + coverage);
        }
    }

    /** A configured level off the reported grid (0.85) is calibrated exactly, beside the grid; keys keep its digits. */
    @Test
    void theConfiguredLevelIsCalibratedEvenOffTheGrid() {
        assertEquals(java.util.List.of(0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95), java.util.Arrays.stream(Uncertainty.levels(0.85)).boxed().toList());
        assertEquals(Uncertainty.LEVELS.length, Uncertainty.levels(0.9).length, "a grid level is not added twice");
        assertEquals("0.85", Uncertainty.levelKey(0.85));
        assertEquals("0.90", Uncertainty.levelKey(0.9));
        assertEquals("0.875", Uncertainty.levelKey(0.875));
    }

    /** ceil((n + 1) L) <= n needs n >= L / (1 - L): 19 rows at 0.95 (ceil(20 x 0.95) = 19), 18 are too few. */
    @Test
    void theFewestCalibrationRowsForAFiniteQuantile() {
        assertEquals(19, Uncertainty.minimumRows(0.95));
        assertEquals(10, Uncertainty.minimumRows(0.9), "never fewer than 10");
        assertEquals(99, Uncertainty.minimumRows(0.99));
        double[] nineteen = new double[19];
        java.util.Arrays.setAll(nineteen, i -> i + 1);
        assertEquals(19, Uncertainty.quantile(nineteen, 0.95));
        assertEquals(Double.POSITIVE_INFINITY, Uncertainty.quantile(java.util.Arrays.copyOf(nineteen, 18), 0.95));
    }
}
