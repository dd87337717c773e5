package org.oncobench.eval;

import org.junit.jupiter.api.Test;
import org.oncobench.data.Cohort;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaselinesTest {
    /**
     * Samples s0, s1, s2 x drugs d0, d1. Training rows: (s0,d0)=1, (s0,d1)=3, (s1,d0)=2, (s1,d1)=6.
     * Test rows: (s2,d0)=4, (s0,d1)=5 (the latter only in a mixed split, but baselines do not care).
     */
    private static Cohort cohort() {
        return new Cohort("y", List.of("s0", "s1", "s2"), List.of("s0", "s1", "s2"), List.of("d0", "d1"),
                new int[]{0, 0, 1, 1, 2, 0}, new int[]{0, 1, 0, 1, 0, 1}, new float[]{1, 3, 2, 6, 4, 5},
                List.of(), List.of(), Map.of(), new Cohort.JoinReport(6, 6, 0, List.of(), 0, List.of()));
    }

    @Test
    void fittedOnTrainingRowsOnly() {
        Cohort c = cohort();
        int[] train = {0, 1, 2, 3};
        int[] test = {4, 5};
        Baselines b = Baselines.fit(c, train);
        // global mean of 1,3,2,6 = 3
        assertArrayEquals(new double[]{3, 3}, b.predict("global_mean", c, test), 1e-12);
        // drug means: d0 = (1+2)/2 = 1.5, d1 = (3+6)/2 = 4.5
        assertArrayEquals(new double[]{1.5, 4.5}, b.predict("drug_mean", c, test), 1e-12);
        // cell means: s2 unseen -> global 3; s0 = (1+3)/2 = 2
        assertArrayEquals(new double[]{3, 2}, b.predict("cell_mean", c, test), 1e-12);
        // additive: s0 residuals (1-1.5, 3-4.5) -> -1; s2 unseen -> 0
        assertArrayEquals(new double[]{1.5, 4.5 - 1}, b.predict("drug_cell_additive", c, test), 1e-12);
    }

    /**
     * DrEval's NaiveMeanEffectsPredictor on an incomplete matrix, where it differs from "drug mean + the cell line's
     * mean residual". Samples s0..s3 x drugs d0..d3; training rows (s0,d0)=1, (s0,d1)=3, (s1,d1)=7, (s1,d2)=9,
     * (s2,d2)=5; s3 and d3 are never trained on.
     */
    @Test
    void meanEffectsAreDrEvalsOverallMeanPlusCellLineAndDrugEffects() {
        Cohort c = new Cohort("y", List.of("s0", "s1", "s2", "s3"), List.of("s0", "s1", "s2", "s3"), List.of("d0", "d1", "d2", "d3"),
                new int[]{0, 0, 1, 1, 2, 0, 2, 1, 1, 3, 3}, new int[]{0, 1, 1, 2, 2, 2, 1, 0, 3, 3, 2},
                new float[]{1, 3, 7, 9, 5, 0, 0, 0, 0, 0, 0}, List.of(), List.of(), Map.of(),
                new Cohort.JoinReport(11, 11, 0, List.of(), 0, List.of()));
        Baselines b = Baselines.fit(c, new int[]{0, 1, 2, 3, 4});
        // overall mean (1 + 3 + 7 + 9 + 5) / 5 = 5
        // drug means d0 = 1, d1 = (3 + 7) / 2 = 5, d2 = (9 + 5) / 2 = 7: effects -4, 0, +2
        // cell-line means s0 = (1 + 3) / 2 = 2, s1 = (7 + 9) / 2 = 8, s2 = 5: effects -3, +3, 0
        // prediction = 5 + cell-line effect + drug effect, an unseen cell line's or drug's effect 0:
        //   (s0,d2) 5 - 3 + 2 = 4     (s2,d1) 5 + 0 + 0 = 5     (s1,d0) 5 + 3 - 4 = 4
        //   drug-blind, d3 unseen: (s1,d3) 5 + 3 + 0 = 8 (the cell-line mean)   (s3,d3) 5 (the overall mean)
        //   cell-blind, s3 unseen: (s3,d2) 5 + 0 + 2 = 7 (the drug mean)
        // The old "drug mean + the cell line's mean residual" (residuals from the drug means: s0 (0, -2) -> -1,
        // s1 (2, 2) -> 2, s2 (-2) -> -2; unseen drug -> overall mean) gave 6, 3, 3, 7, 5, 7.
        int[] test = {5, 6, 7, 8, 9, 10};
        double[] expected = {4, 5, 4, 8, 5, 7};
        assertArrayEquals(expected, b.predict("drug_cell_additive", c, test), 1e-12);
        assertArrayEquals(expected, b.meanEffects(c, test), 1e-12);
        // the parts: drug mean and cell-line mean fall back to the overall mean as before
        assertArrayEquals(new double[]{7, 5, 1, 5, 5, 7}, b.predict("drug_mean", c, test), 1e-12);
        assertArrayEquals(new double[]{2, 5, 8, 8, 5, 5}, b.predict("cell_mean", c, test), 1e-12);
    }

    /**
     * Cell-blind, the mean effects are the drug means; drug-blind, the cell-line means: to the last bit, so that the drug
     * mean (cell mean) scores undefined beyond them instead of the Pearson of rounding noise. Responses of both signs
     * (drug offsets of sd 3), where overall + (drug - overall) rounds away from the drug mean.
     */
    @Test
    void withOneEffectUnseenTheMeanEffectsAreExactlyTheOtherMean() {
        java.util.Random r = new java.util.Random(11);
        int cells = 20;
        int drugs = 20;
        List<String> cellIds = new java.util.ArrayList<>();
        List<String> drugIds = new java.util.ArrayList<>();
        for (int i = 0; i < cells; i++) {
            cellIds.add("c" + i);
        }
        for (int j = 0; j < drugs; j++) {
            drugIds.add("d" + j);
        }
        double[] offset = r.doubles(drugs).map(u -> 3 * (u - 0.5) * 2).toArray();
        int n = cells * drugs;
        int[] rs = new int[n];
        int[] rd = new int[n];
        float[] y = new float[n];
        List<Integer> train = new java.util.ArrayList<>();
        List<Integer> unseenCell = new java.util.ArrayList<>();
        List<Integer> unseenDrug = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            rs[i] = i / drugs;
            rd[i] = i % drugs;
            y[i] = (float) (offset[rd[i]] + r.nextGaussian());
            boolean testCell = rs[i] >= 15;
            boolean testDrug = rd[i] >= 15;
            (testCell && !testDrug ? unseenCell : !testCell && testDrug ? unseenDrug : !testCell ? train : new java.util.ArrayList<Integer>()).add(i);
        }
        Cohort c = new Cohort("y", cellIds, cellIds, drugIds, rs, rd, y, List.of(), List.of(), Map.of(),
                new Cohort.JoinReport(n, n, 0, List.of(), 0, List.of()));
        Baselines b = Baselines.fit(c, train.stream().mapToInt(Integer::intValue).toArray());
        int[] cellBlind = unseenCell.stream().mapToInt(Integer::intValue).toArray();
        int[] drugBlind = unseenDrug.stream().mapToInt(Integer::intValue).toArray();
        assertArrayEquals(b.predict("drug_mean", c, cellBlind), b.meanEffects(c, cellBlind), 0);
        assertArrayEquals(b.predict("cell_mean", c, drugBlind), b.meanEffects(c, drugBlind), 0);
        double[] observed = java.util.Arrays.stream(cellBlind).mapToDouble(i -> y[i]).toArray();
        double[] m = b.meanEffects(c, cellBlind);
        assertTrue(Double.isNaN(BeyondMeanEffects.of(observed, b.predict("drug_mean", c, cellBlind), m, null).overall().pearson()));
    }

    @Test
    void evaluatorScoresBaselinesOnTheSameRows() {
        Cohort c = cohort();
        EvaluationReport r = new Evaluator().evaluate(c, new int[]{0, 1, 2, 3}, new int[]{4, 5}, new double[]{4, 5},
                java.util.List.of("global_mean", "drug_mean", "cell_mean", "drug_cell_additive"));
        assertEquals(0.0, r.test().headline(), 1e-12);
        // drug_mean errors: 4-1.5 = 2.5, 5-4.5 = 0.5 -> RMSE sqrt((6.25+0.25)/2)
        assertEquals(Math.sqrt(3.25), r.baselines().get("drug_mean").headline(), 1e-12);
        // additive errors 2.5 and 1.5 -> sqrt((6.25 + 2.25) / 2)
        assertEquals(Math.sqrt(4.25), r.baselines().get("drug_cell_additive").headline(), 1e-12);
        // global mean errors 1 and 2 -> sqrt(2.5) = 1.58, the lowest of the four (cell mean: sqrt(5))
        assertEquals(Math.sqrt(5), r.baselines().get("cell_mean").headline(), 1e-12);
        assertEquals("global_mean", r.bestBaseline());
    }

    @Test
    void tissueAwareMeansAndTheirFallbacks() {
        // tissue: s0 and s2 are "lung", s1 is "skin"; a fourth sample s3 ("bone") is never trained on
        Cohort c = new Cohort("y", List.of("s0", "s1", "s2", "s3"), List.of("s0", "s1", "s2", "s3"), List.of("d0", "d1", "d2"),
                new int[]{0, 0, 1, 1, 2, 3, 2, 0}, new int[]{0, 1, 0, 1, 0, 0, 1, 2}, new float[]{1, 3, 2, 6, 4, 9, 8, 7},
                List.of(), List.of(), Map.of("tissue", new String[]{"lung", "skin", "lung", "bone"}),
                new Cohort.JoinReport(8, 8, 0, List.of(), 0, List.of()));
        Baselines b = Baselines.fit(c, new int[]{0, 1, 2, 3}, "tissue");
        // test rows: (s2,d0) lung, (s3,d0) bone unseen, (s2,d1) lung, (s0,d2) lung with a drug never trained on
        int[] test = {4, 5, 6, 7};
        // group means: lung = mean(1, 3) = 2, skin = 4, global = 3; bone unseen -> global
        assertArrayEquals(new double[]{2, 3, 2, 2}, b.predict("group_mean", c, test), 1e-12);
        // group x drug: lung x d0 = 1, lung x d1 = 3; bone x d0 unseen -> drug mean d0 = 1.5; lung x d2 unseen, d2 unseen -> lung = 2
        assertArrayEquals(new double[]{1, 1.5, 3, 2}, b.predict("group_drug_mean", c, test), 1e-12);
    }
}
