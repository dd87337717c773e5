package org.oncobench.eval;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignificanceTest {

    private static String[] eachRowItsOwnUnit(int n) {
        String[] u = new String[n];
        for (int i = 0; i < n; i++) {
            u[i] = "r" + i;
        }
        return u;
    }

    @Test
    void intervalsCoverTheTruePearsonAtAboutTheNominalRate() {
        // predictions correlated 0.6 with the observed values (bivariate normal): 300 test sets of 150 rows, a 95% interval each
        double rho = 0.6;
        Random r = new Random(3);
        int covered = 0;
        int sets = 300;
        for (int s = 0; s < sets; s++) {
            int n = 150;
            double[] y = new double[n];
            double[] p = new double[n];
            for (int i = 0; i < n; i++) {
                double a = r.nextGaussian();
                y[i] = a;
                p[i] = rho * a + Math.sqrt(1 - rho * rho) * r.nextGaussian();
            }
            Significance sig = Significance.of(y, p, Map.of(), eachRowItsOwnUnit(n), "rows", false, null, Map.of(), 400, s);
            Significance.Interval iv = sig.intervals().get("model").get("pearson");
            if (iv.low() <= rho && rho <= iv.high()) {
                covered++;
            }
        }
        double rate = covered / (double) sets;
        System.out.println("bootstrap 95% interval of Pearson covered the truth in " + covered + " of " + sets);
        assertTrue(rate > 0.90 && rate < 0.99, "coverage " + rate);
    }

    @Test
    void resamplingWholeUnitsWidensIntervalsWhenRowsOfAUnitShareTheirError() {
        // 20 cell lines x 50 rows; each cell line's predictions are off by its own offset: the rows are not independent
        Random r = new Random(5);
        int units = 20;
        int per = 50;
        double[] y = new double[units * per];
        double[] p = new double[units * per];
        String[] cell = new String[y.length];
        for (int u = 0; u < units; u++) {
            double offset = r.nextGaussian();
            for (int j = 0; j < per; j++) {
                int i = u * per + j;
                y[i] = r.nextGaussian();
                p[i] = y[i] + offset + 0.1 * r.nextGaussian();
                cell[i] = "cell" + u;
            }
        }
        Significance byCell = Significance.of(y, p, Map.of(), cell, "cell lines", false, null, Map.of(), 1000, 1);
        Significance byRow = Significance.of(y, p, Map.of(), eachRowItsOwnUnit(y.length), "rows", false, null, Map.of(), 1000, 1);
        Significance.Interval c = byCell.intervals().get("model").get("rmse");
        Significance.Interval w = byRow.intervals().get("model").get("rmse");
        assertEquals(20, byCell.units());
        assertEquals(c.estimate(), w.estimate(), 1e-12);
        assertTrue(c.high() - c.low() > 3 * (w.high() - w.low()), "by cell " + c + " vs by row " + w);
    }

    @Test
    void theModelBeatsABaselineOnlyWhenTheDifferenceExcludesZero() {
        Random r = new Random(7);
        int n = 400;
        double[] y = new double[n];
        double[] good = new double[n];
        double[] alsoGood = new double[n];
        double[] poor = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextGaussian();
            good[i] = y[i] + 0.3 * r.nextGaussian();
            alsoGood[i] = y[i] + 0.3 * r.nextGaussian();
            poor[i] = y[i] + 1.0 * r.nextGaussian();
        }
        Map<String, double[]> baselines = new LinkedHashMap<>();
        baselines.put("poor", poor);
        baselines.put("twin", alsoGood);
        Significance sig = Significance.of(y, good, baselines, eachRowItsOwnUnit(n), "rows", false, null, Map.of(), 1000, 1);
        assertTrue(sig.modelBeats("poor", false), sig.differences().toString());
        assertFalse(sig.modelBeats("twin", false), sig.differences().toString());
        Significance.Interval d = sig.differences().get("poor").get("rmse");
        assertTrue(d.estimate() < -0.5 && d.high() < 0, d.toString());
        // the same seed gives the same intervals
        assertEquals(sig, Significance.of(y, good, baselines, eachRowItsOwnUnit(n), "rows", false, null, Map.of(), 1000, 1));
    }

    @Test
    void wilcoxonOverDrugsAgainstAHandComputedExactPValue() {
        // differences 1.5, -0.5, 2.0, 3.0, 0.7, -1.2, 2.5: |d| ranks 4, 1, 5, 7, 2, 3, 6, so W- = 1 + 3 = 4. Of the 2^7 sign
        // patterns, 7 have a rank sum <= 4 ({}, {1}, {2}, {3}, {1,2}, {4}, {1,3}): two-sided p = 2 x 7/128 = 0.109375
        double[] model = {0.9, 0.4, 0.8, 0.9, 0.75, 0.3, 0.85};
        double[] d = {1.5, -0.5, 2.0, 3.0, 0.7, -1.2, 2.5};
        Map<String, Scores> m = new LinkedHashMap<>();
        Map<String, Scores> b = new LinkedHashMap<>();
        for (int i = 0; i < model.length; i++) {
            m.put("drug" + i, new RegressionMetrics(10, 1, model[i], model[i], 0));
            b.put("drug" + i, new RegressionMetrics(10, 1, model[i] - d[i], model[i] - d[i], 0));
        }
        GroupedMetrics gm = new GroupedMetrics(m, "pearson", 0, 0, 7);
        GroupedMetrics gb = new GroupedMetrics(b, "pearson", 0, 0, 7);
        Significance.PairedTest t = Significance.perDrugTests(gm, Map.of("ridge", gb)).get("ridge");
        assertEquals(7, t.drugs());
        assertEquals(0.109375, t.p(), 1e-12);
        assertEquals(1.5, t.medianDifference(), 1e-12);
        assertEquals(t.p(), t.holmP(), 1e-12, "one baseline: nothing to correct");
    }

    @Test
    void holmStepDown() {
        Map<String, Double> raw = new LinkedHashMap<>();
        raw.put("a", 0.01);
        raw.put("b", 0.04);
        raw.put("c", 0.03);
        // sorted a, c, b: 0.01 x 3 = 0.03; 0.03 x 2 = 0.06; 0.04 x 1 = 0.04, raised to 0.06 to stay monotone
        Map<String, Double> holm = Significance.holm(raw);
        assertEquals(0.03, holm.get("a"), 1e-12);
        assertEquals(0.06, holm.get("c"), 1e-12);
        assertEquals(0.06, holm.get("b"), 1e-12);
    }
}
