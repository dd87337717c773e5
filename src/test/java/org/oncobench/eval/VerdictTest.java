package org.oncobench.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerdictTest {
    /** RMSE: lower is better; the difference is model minus baseline, so the model beats it when the whole interval is below 0. */
    @Test
    void beatsOnlyWhenTheIntervalExcludesZeroInTheModelsFavour() {
        Verdict beats = Verdict.of("gbm", "rmse", false, 0.80, 0.85, -0.08, -0.02);
        assertTrue(beats.beats());
        assertEquals("the model beats the best baseline (gbm): RMSE lower by 0.050; the 95% interval of the difference [-0.080, -0.020] "
                + "excludes 0", beats.text());
        Verdict open = Verdict.of("gbm", "rmse", false, 0.831, 0.862, -0.098, 0.026);
        assertFalse(open.beats());
        assertEquals("not_shown", open.outcome());
        assertEquals("the model is not shown to beat the best baseline (gbm): RMSE lower by 0.031, but the 95% interval of the difference "
                + "[-0.098, 0.026] includes 0", open.text());
        Verdict worse = Verdict.of("ridge", "rmse", false, 0.90, 0.85, 0.02, 0.08);
        assertEquals("worse", worse.outcome());
        assertTrue(worse.text().startsWith("the model is worse than the best baseline (ridge): RMSE higher by 0.050"), worse.text());
    }

    /** AUC: higher is better, so the interval must lie above 0; without an interval the verdict never says "beats". */
    @Test
    void higherIsBetterAndNoInterval() {
        assertTrue(Verdict.of("logistic", "auc", true, 0.95, 0.90, 0.01, 0.09).beats());
        assertEquals("worse", Verdict.of("logistic", "auc", true, 0.85, 0.90, -0.09, -0.01).outcome());
        Verdict none = Verdict.of("gbm", "rmse", false, 0.831, 0.862, Double.NaN, Double.NaN);
        assertFalse(none.beats());
        assertEquals("better_no_interval", none.outcome());
        assertEquals("model vs best baseline (gbm): RMSE lower by 0.031 (no interval)", none.text());
        assertEquals("worse_no_interval", Verdict.of("gbm", "auc", true, 0.8, 0.9, Double.NaN, Double.NaN).outcome());
    }
}
