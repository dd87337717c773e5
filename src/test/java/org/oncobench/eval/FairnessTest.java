package org.oncobench.eval;

import org.junit.jupiter.api.Test;
import org.oncobench.data.Cohort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FairnessTest {

    /** 30 samples x 10 drugs; groups A, B, C of 10 samples each, and D of 2 samples (too small); prediction error sd per group. */
    private static Map<String, Object> fairness(double sdA, double sdB, double sdC) {
        Random r = new Random(3);
        int samples = 32;
        List<String> ids = new ArrayList<>();
        String[] group = new String[samples];
        for (int s = 0; s < samples; s++) {
            ids.add("s" + s);
            group[s] = s < 10 ? "A" : s < 20 ? "B" : s < 30 ? "C" : "D";
        }
        int n = samples * 10;
        int[] rs = new int[n];
        int[] rd = new int[n];
        float[] y = new float[n];
        double[] predicted = new double[n];
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rs[i] = i / 10;
            rd[i] = i % 10;
            y[i] = (float) r.nextGaussian();
            String g = group[rs[i]];
            double sd = g.equals("A") ? sdA : g.equals("B") ? sdB : sdC;
            predicted[i] = y[i] + sd * r.nextGaussian();
            rows[i] = i;
        }
        List<String> drugs = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            drugs.add("d" + d);
        }
        Cohort c = new Cohort("y", ids, ids, drugs, rs, rd, y, List.of(), List.of(), Map.of("tissue", group),
                new Cohort.JoinReport(n, n, 0, List.of(), 0, List.of()));
        return Fairness.of(c, rows, predicted, false, 7);
    }

    @SuppressWarnings("unchecked")
    @Test
    void aGroupWithTwiceTheErrorIsLargerThanChanceAndSmallGroupsAreListed() {
        Map<String, Object> tissue = (Map<String, Object>) fairness(0.5, 0.5, 1.0).get("tissue");
        Map<String, Object> d = (Map<String, Object>) tissue.get("disparity");
        assertEquals("C", d.get("worst"));
        assertEquals(List.of("D"), tissue.get("too_small_to_score"), "2 samples: listed, not dropped");
        List<Map<String, Object>> groups = (List<Map<String, Object>>) tissue.get("groups");
        assertEquals(4, groups.size());
        assertNull(groups.get(3).get("rmse"));
        assertEquals(20, groups.get(3).get("rows"));
        double worst = (double) d.get("worst_rmse");
        assertTrue(worst > 0.85 && worst < 1.15, "group C's RMSE is about its error sd 1.0: " + worst);
        assertTrue((double) d.get("permutation_p") < 0.01, d.toString());
        assertTrue((Boolean) d.get("larger_than_chance"));
        List<Double> interval = (List<Double>) d.get("gap_interval");
        assertTrue(interval.get(0) > 0.2 && interval.get(0) < (double) d.get("gap") && interval.get(1) > (double) d.get("gap"), interval.toString());
    }

    @SuppressWarnings("unchecked")
    @Test
    void equalErrorsGiveAGapWithinChance() {
        Map<String, Object> d = (Map<String, Object>) ((Map<String, Object>) fairness(0.7, 0.7, 0.7).get("tissue")).get("disparity");
        assertFalse((Boolean) d.get("larger_than_chance"), d.toString());
        assertTrue((double) d.get("permutation_p") > 0.05);
        // the interval is of the signed difference worst - best (groups fixed from the point estimate), so with equal
        // errors the resampled worst group is often the better one: the interval straddles 0 (|worst - best| could not)
        List<Double> interval = (List<Double>) d.get("gap_interval");
        assertTrue(interval.get(0) < 0 && interval.get(1) > (double) d.get("gap"), interval + " around " + d.get("gap"));
    }

    /** A cohort of samples with 7 rows each (drugs d0..d6), each sample in the given group; targets and predictions per row. */
    private static Map<String, Object> fairnessOf(String[] groupOfSample, float[] y, double[] predicted, boolean classification) {
        List<String> ids = new ArrayList<>();
        for (int s = 0; s < groupOfSample.length; s++) {
            ids.add("s" + s);
        }
        int n = groupOfSample.length * 7;
        int[] rs = new int[n];
        int[] rd = new int[n];
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rs[i] = i / 7;
            rd[i] = i % 7;
            rows[i] = i;
        }
        Cohort c = new Cohort("y", ids, ids, List.of("d0", "d1", "d2", "d3", "d4", "d5", "d6"), rs, rd, y, List.of(), List.of(),
                Map.of("tissue", groupOfSample), new Cohort.JoinReport(n, n, 0, List.of(), 0, List.of()));
        return (Map<String, Object>) Fairness.of(c, rows, predicted, classification, 7).get("tissue");
    }

    @SuppressWarnings("unchecked")
    @Test
    void gapAndRatioAgainstHandComputedGroupErrors() {
        // groups A (samples 0-2) and B (3-5), 7 rows per sample, observed 0; every row of a sample is off by the same
        // amount: A 0.3, 0.4, 0.5 and B 0.6, 0.8, 1.0 (signs alternate)
        // RMSE A = sqrt((0.09 + 0.16 + 0.25) / 3) = sqrt(1/6) = 0.408; B = sqrt((0.36 + 0.64 + 1) / 3) = sqrt(2/3) = 0.816
        // gap = worst - best = sqrt(2/3) - sqrt(1/6) = sqrt(1/6); ratio = 2
        double[] error = {0.3, 0.4, 0.5, 0.6, 0.8, 1.0};
        float[] y = new float[42];
        double[] p = new double[42];
        for (int i = 0; i < 42; i++) {
            p[i] = (i % 2 == 0 ? 1 : -1) * error[i / 7];
        }
        Map<String, Object> t = fairnessOf(new String[]{"A", "A", "A", "B", "B", "B"}, y, p, false);
        Map<String, Object> d = (Map<String, Object>) t.get("disparity");
        assertEquals("B", d.get("worst"));
        assertEquals("A", d.get("best"));
        assertEquals(Math.sqrt(2.0 / 3), (double) d.get("worst_rmse"), 1e-12);
        assertEquals(Math.sqrt(1.0 / 6), (double) d.get("best_rmse"), 1e-12);
        assertEquals(Math.sqrt(1.0 / 6), (double) d.get("gap"), 1e-12);
        assertEquals(2.0, (double) d.get("ratio"), 1e-12);
        List<Map<String, Object>> groups = (List<Map<String, Object>>) t.get("groups");
        assertEquals(List.of(21, 21), groups.stream().map(g -> g.get("rows")).toList());
        // a resample of A's three samples has RMSE in [0.3, 0.5], of B's in [0.6, 1.0]: every gap draw lies in [0.1, 0.7]
        List<Double> interval = (List<Double>) d.get("gap_interval");
        assertTrue(interval.get(0) >= 0.1 - 1e-12 && interval.get(0) < Math.sqrt(1.0 / 6) && interval.get(1) > Math.sqrt(1.0 / 6)
                && interval.get(1) <= 0.7 + 1e-12, interval.toString());
        assertEquals(0, d.get("gap_interval_draws_dropped"));
    }

    @SuppressWarnings("unchecked")
    @Test
    void resamplesThatCannotBeScoredAreDroppedAndCounted() {
        // AUC per group. P: sample 0's 7 rows positive (predicted 0.7), samples 1 and 2 negative (0.6 and 0.8): AUC = 49 / 98
        // = 0.5. Q: each of samples 3-5 has 4 positive rows (0.9) and 3 negative (0.1): AUC 1. Worst P, best Q: gap =
        // 0.5 - 1 = -0.5 (worst minus best: negative for AUC), ratio 0.5.
        // A resample of P's 3 samples misses sample 0 with probability (2/3)^3 = 8/27 and has only sample 0 with 1/27: a
        // third of the draws cannot be scored (one class). They are dropped, not sorted into the upper bound.
        float[] y = new float[42];
        double[] p = new double[42];
        for (int i = 0; i < 42; i++) {
            int s = i / 7;
            if (s < 3) {
                y[i] = s == 0 ? 1 : 0;
                p[i] = s == 0 ? 0.7 : s == 1 ? 0.6 : 0.8;
            } else {
                y[i] = i % 7 < 4 ? 1 : 0;
                p[i] = i % 7 < 4 ? 0.9 : 0.1;
            }
        }
        Map<String, Object> d = (Map<String, Object>) fairnessOf(new String[]{"P", "P", "P", "Q", "Q", "Q"}, y, p, true).get("disparity");
        assertEquals("P", d.get("worst"));
        assertEquals(0.5, (double) d.get("worst_auc"), 1e-12);
        assertEquals(1.0, (double) d.get("best_auc"), 1e-12);
        assertEquals(-0.5, (double) d.get("gap"), 1e-12);
        assertEquals(0.5, (double) d.get("ratio"), 1e-12);
        int dropped = (int) d.get("gap_interval_draws_dropped");
        assertTrue(dropped > 280 && dropped < 390, "about a third of 1000: " + dropped);
        List<Double> interval = (List<Double>) d.get("gap_interval");
        // the scorable draws of P's AUC lie in [0, 1] (the share of its negatives that are sample 1's), so the gap in [-1, 0]
        assertTrue(interval.get(0) >= -1 && interval.get(0) < -0.5 && interval.get(1) > -0.5 && interval.get(1) <= 0, interval.toString());
    }

    @Test
    void gapQuantilesInterpolateLinearly() {
        // type 7 (R's default, numpy's linear): h = (n - 1) q; 1..10 at 0.025: h = 0.225 -> 1.225; at 0.975: h = 8.775 -> 9.775
        // /usr/bin/python3 -c 'import numpy; print(numpy.quantile(range(1, 11), [0.025, 0.975]))' -> [1.225 9.775]
        double[] v = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
        assertEquals(1.225, Fairness.quantile(v, 0.025), 1e-12);
        assertEquals(9.775, Fairness.quantile(v, 0.975), 1e-12);
        assertEquals(5.5, Fairness.quantile(v, 0.5), 1e-12);
    }

    /** The defect: a 3-sample tissue highlighted as the worst at p = 0.507. Marked only when significant and large enough. */
    @Test
    void theWorstGroupIsFlaggedOnlyWhenItsGapIsLargerThanChanceAndItHasEnoughSamples() {
        Map<String, Object> chance = Map.of("worst", "Skin", "permutation_p", 0.507, "larger_than_chance", false);
        Map<String, Object> real = Map.of("worst", "Skin", "permutation_p", 0.01, "larger_than_chance", true);
        Map<String, Object> skin3 = Map.of("group", "Skin", "rows", 84, "samples", 3);
        Map<String, Object> skin12 = Map.of("group", "Skin", "rows", 300, "samples", 12);
        Map<String, Object> lung12 = Map.of("group", "Lung", "rows", 300, "samples", 12);
        assertFalse(Fairness.flagsWorst(chance, skin3));
        assertFalse(Fairness.flagsWorst(chance, skin12), "p = 0.507");
        assertFalse(Fairness.flagsWorst(real, skin3), "3 samples");
        assertTrue(Fairness.flagsWorst(real, skin12));
        assertFalse(Fairness.flagsWorst(real, lung12), "not the worst");
        assertFalse(Fairness.flagsWorst(null, skin12), "no disparity measured");
    }
}
