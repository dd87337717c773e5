package org.oncobench.eval;

import org.junit.jupiter.api.Test;
import org.oncobench.data.Cohort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaselineSetTest {
    @Test
    void aFailingBaselineIsSkippedWithItsReasonAndTheOthersStillFit() {
        Cohort c = LinearBaselinesTest.wide(10, 3, 1);
        List<String> messages = new ArrayList<>();
        // one training row: ridge cannot centre on it and refuses; the global mean still fits
        BaselineSet set = BaselineSet.fit(List.of("global_mean", "ridge"), c, new int[]{0}, new int[0], null, 1, messages::add);
        assertEquals(Map.of("ridge", "ridge needs at least 2 training rows, got 1"), set.skipped());
        Map<String, double[]> predicted = set.predict(c, new int[]{5, 6});
        assertEquals(List.of("global_mean"), List.copyOf(predicted.keySet()));
        assertArrayEquals(new double[]{c.targets()[0], c.targets()[0]}, predicted.get("global_mean"), 1e-6);
        assertTrue(messages.get(0).startsWith("warning: baseline ridge skipped: ridge needs at least 2 training rows"), messages.toString());
    }

    @Test
    void ridgeRecordsTheChosenPenalty() {
        Cohort c = LinearBaselinesTest.wide(60, 5, 2);
        int[] train = java.util.stream.IntStream.range(0, 40).toArray();
        int[] val = java.util.stream.IntStream.range(40, 50).toArray();
        BaselineSet set = BaselineSet.fit(List.of("ridge"), c, train, val, null, 1, m -> { });
        Map<String, Object> settings = set.settings().get("ridge");
        // lambda is n x one of {0.001, 0.01, 0.1, 1}, on 40 training rows; 5 features < 40 rows: the primal system
        assertTrue(List.of(0.04, 0.4, 4.0, 40.0).stream().anyMatch(l -> Math.abs(l - (double) settings.get("lambda")) < 1e-9), settings.toString());
        assertEquals("primal", settings.get("system"));
    }

    /**
     * metrics.json has the same keys in every run of one experiment: a fitted baseline's wall time is always recorded
     * (fit_seconds, which comparisons of runs ignore), not only when the fit took 10 ms or more - a tiny ridge fit came
     * out with the key in one run and without it in the next (DeterminismIT's k-fold case).
     */
    @Test
    void theWallTimeIsRecordedHoweverFastTheFit() {
        Cohort c = LinearBaselinesTest.wide(20, 5, 2);
        int[] train = java.util.stream.IntStream.range(0, 8).toArray();
        BaselineSet set = BaselineSet.fit(List.of("ridge"), c, train, new int[0], null, 1, m -> { });
        assertEquals(List.of("lambda", "system", "fit_seconds"), List.copyOf(set.settings().get("ridge").keySet()));
        assertTrue((double) set.settings().get("ridge").get("fit_seconds") >= 0);
    }

    /**
     * residual_over: drug_mean on a tiny case. 6 cell lines x 2 drugs, one gene x = (-1, 0, 1, 2, -2, 0.5); y = 1 + 0.5 x
     * for drug d0 and 4 - 0.5 x for d1. Training cell lines c0..c3: the drug means are 1.25 and 3.75 by hand, the residuals
     * 0.5 (x - 0.5) and -0.5 (x - 0.5). ridge fitted in residual mode must predict exactly ridge fitted on those hand
     * residuals plus the hand drug means; drug_mean itself is unchanged.
     */
    @Test
    void residualOverDrugMeanFitsTheResidualsAndAddsTheDrugMeansBack() {
        float[] x = {-1, 0, 1, 2, -2, 0.5f};
        float[] y = new float[12];
        float[] residual = new float[12];
        for (int c = 0; c < 6; c++) {
            y[2 * c] = 1 + 0.5f * x[c];
            y[2 * c + 1] = 4 - 0.5f * x[c];
            residual[2 * c] = 0.5f * (x[c] - 0.5f);
            residual[2 * c + 1] = -0.5f * (x[c] - 0.5f);
        }
        Cohort cohort = tiny(x, y);
        int[] train = {0, 1, 2, 3, 4, 5, 6, 7};
        int[] val = {8, 9};
        int[] test = {10, 11};
        BaselineSet set = BaselineSet.fit(List.of("drug_mean", "ridge"), null, "drug_mean", cohort, train, val, null, 1, 1, m -> { });
        Map<String, double[]> p = set.predict(cohort, test);
        assertArrayEquals(new double[]{1.25, 3.75}, p.get("drug_mean"), 1e-6);
        RidgeRegression byHand = RidgeRegression.fit(tiny(x, residual), train, val);
        double[] r = byHand.predict(tiny(x, residual), test);
        assertArrayEquals(new double[]{r[0] + 1.25, r[1] + 3.75}, p.get("ridge"), 1e-6);
        // and the residuals are linear in x: ridge's fit is close to the truth, 1 + 0.25 and 4 - 0.25
        assertArrayEquals(new double[]{1.25, 3.75}, p.get("ridge"), 0.1);
        assertEquals("drug_mean", set.settings().get("ridge").get("residual_over"));
        assertEquals(byHand.settings().get("lambda"), set.settings().get("ridge").get("lambda"), "the penalty chosen on the validation residuals");
    }

    /** Cell line c's rows are 2c (drug d0) and 2c + 1 (drug d1); one sample table, no drug tables. */
    private static Cohort tiny(float[] x, float[] y) {
        List<String> cells = List.of("c0", "c1", "c2", "c3", "c4", "c5");
        int[] rs = new int[12];
        int[] rd = new int[12];
        for (int i = 0; i < 12; i++) {
            rs[i] = i / 2;
            rd[i] = i % 2;
        }
        return new Cohort("y", cells, cells, List.of("d0", "d1"), rs, rd, y.clone(),
                List.of(new org.oncobench.data.FeatureTable("expression", cells, List.of("g0"), x.clone())), List.of(), Map.of(),
                new Cohort.JoinReport(12, 12, 0, List.of(), 0, List.of()));
    }
}
