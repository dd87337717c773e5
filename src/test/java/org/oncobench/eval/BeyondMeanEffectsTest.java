package org.oncobench.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DrEval's normalised metrics against a hand-computed example. */
class BeyondMeanEffectsTest {
    @Test
    void metricsOfWhatIsLeftAfterTheMeanEffects() {
        // y - m = (1, 1, 0, 2), y_hat - m = (0.5, 1, -1, 1.5)
        // Pearson: deviations (0, 0, -1, 1) and (0, 0.5, -1.5, 1): 2.5 / sqrt(2 * 3.5) = 0.944911...
        // R²: SS_res = 0.25 + 0 + 1 + 0.25 = 1.5, SS_tot = 2 -> 0.25
        // Spearman: ranks (2.5, 2.5, 1, 4) and (2, 3, 1, 4): 4.5 / sqrt(4.5 * 5) = 0.948683...
        double[] observed = {3, 5, 2, 7};
        double[] meanEffects = {2, 4, 2, 5};
        double[] predicted = {2.5, 5, 1, 6.5};
        BeyondMeanEffects b = BeyondMeanEffects.of(observed, predicted, meanEffects, null);
        assertEquals(2.5 / Math.sqrt(7), b.overall().pearson(), 1e-12);
        assertEquals(0.25, b.overall().r2(), 1e-12);
        assertEquals(4.5 / Math.sqrt(22.5), b.overall().spearman(), 1e-12);
        assertEquals(2.5 / Math.sqrt(7), (double) b.toMap().get("pearson_beyond_mean_effects"), 1e-12);
        // the mean-effects predictor itself explains nothing beyond itself
        assertTrue(Double.isNaN(BeyondMeanEffects.of(observed, meanEffects, meanEffects, null).overall().pearson()));
    }
}
