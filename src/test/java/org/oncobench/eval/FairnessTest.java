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
        double best = (double) d.get("best_rmse");
        assertEquals(worst - best, (double) d.get("gap"), 1e-12);
        assertEquals(worst / best, (double) d.get("ratio"), 1e-12);
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
    }
}
