package org.oncobench.eval;

import org.junit.jupiter.api.Test;
import org.oncobench.data.Cohort;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    /**
     * Drug-blind: the test drug d2 was never trained on, so DrEval's mean effects are overall mean + cell-line effect,
     * i.e. the cell-line means. And a constant predictor scores -corr(y - m, m) beyond them, which is far from 0 when
     * the mean effects spread wider than the test responses.
     */
    @Test
    void drugBlindMeanEffectsAreTheCellLineMeansAndAConstantCanScorePositive() {
        // training rows (s0,d0)=2, (s0,d1)=4, (s1,d0)=4, (s1,d1)=6, (s2,d1)=9 (s2 never saw d0); test rows (s0,d2)=4,
        // (s1,d2)=4, (s2,d2)=6
        Cohort c = new Cohort("y", List.of("s0", "s1", "s2"), List.of("s0", "s1", "s2"), List.of("d0", "d1", "d2"),
                new int[]{0, 0, 1, 1, 2, 0, 1, 2}, new int[]{0, 1, 0, 1, 1, 2, 2, 2}, new float[]{2, 4, 4, 6, 9, 4, 4, 6},
                List.of(), List.of(), Map.of(), new Cohort.JoinReport(8, 8, 0, List.of(), 0, List.of()));
        int[] train = {0, 1, 2, 3, 4};
        int[] test = {5, 6, 7};
        Baselines b = Baselines.fit(c, train);
        // overall mean 25 / 5 = 5; cell-line means s0 3, s1 5, s2 9; d2's effect 0 -> m = (3, 5, 9)
        // (the old "overall mean + the cell line's mean residual from the drug means", d0 = 3 and d1 = 19/3, gave 10/3, 16/3, 23/3)
        double[] m = b.meanEffects(c, test);
        assertArrayEquals(new double[]{3, 5, 9}, m, 1e-12);
        // the global mean, a constant 5: y - m = (1, -1, -3), 5 - m = (2, 0, -4); deviations from their means (2, 0, -2) and
        // (8/3, 2/3, -10/3): Pearson = (16/3 + 20/3) / sqrt(8 x 168/9) = 36 / sqrt(1344) = 0.982
        // R²: residuals (y - m) - (5 - m) = (-1, -1, 1) -> 1 - 3/8 = 0.625
        EvaluationReport r = new Evaluator().evaluate(c, test, new double[]{4, 4, 6}, Map.of("global_mean", b.predict("global_mean", c, test)),
                false, m);
        BeyondMeanEffects constant = r.beyondMeanEffects().get("global_mean");
        assertEquals(36 / Math.sqrt(1344), constant.overall().pearson(), 1e-12);
        assertEquals(0.625, constant.overall().r2(), 1e-12);
        // the perfect predictor: 1; the mean effects themselves: undefined
        assertEquals(1.0, r.beyondMeanEffects().get(EvaluationReport.MODEL).overall().pearson(), 1e-12);
        assertTrue(Double.isNaN(BeyondMeanEffects.of(new double[]{4, 4, 6}, m, m, null).overall().pearson()));
    }
}
