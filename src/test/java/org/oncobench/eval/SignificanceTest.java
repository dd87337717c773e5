package org.oncobench.eval;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@SuppressWarnings("unchecked")
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

    /**
     * Per-drug Pearson of the model and of one baseline, {@code rows[i]} test rows for drug i: the baseline scores 0.5
     * and the model 0.5 + d[i]. The differences are multiples of 1/64, so model - baseline is exactly d[i] (ties stay ties).
     */
    private static Significance.PairedTest pairedTest(double[] d, int[] rows) {
        Map<String, Scores> m = new LinkedHashMap<>();
        Map<String, Scores> b = new LinkedHashMap<>();
        for (int i = 0; i < d.length; i++) {
            m.put(String.format("drug%02d", i), new RegressionMetrics(rows[i], 1, 0.5 + d[i], 0.5 + d[i], 0));
            b.put(String.format("drug%02d", i), new RegressionMetrics(rows[i], 1, 0.5, 0.5, 0));
        }
        return Significance.perDrugTests(new GroupedMetrics(m, "pearson", 0, 0, d.length), Map.of("ridge", new GroupedMetrics(b, "pearson", 0, 0, d.length)))
                .get("ridge");
    }

    private static double[] sixteenths(int... k) {
        return java.util.Arrays.stream(k).mapToDouble(v -> v / 16.0).toArray();
    }

    private static int[] rows(int n, int each) {
        int[] r = new int[n];
        java.util.Arrays.fill(r, each);
        return r;
    }

    @Test
    void wilcoxonIsExactWithoutTiesOrZerosUpTo50Drugs() {
        // 25 drugs, |d| = 1/64 ... 25/64 (no ties), negative for 2, 5, 9, 14, 20, 23: W- = 73
        // /usr/bin/python3 -c 'from scipy.stats import wilcoxon; neg={2,5,9,14,20,23};
        //   print(wilcoxon([(-k if k in neg else k)/64 for k in range(1,26)]))'   (scipy 1.10.1)
        // -> WilcoxonResult(statistic=73.0, pvalue=0.014722049236297607)  (exact: n <= 50, no ties, no zeros)
        double[] d = new double[25];
        for (int k = 1; k <= 25; k++) {
            d[k - 1] = (java.util.Set.of(2, 5, 9, 14, 20, 23).contains(k) ? -k : k) / 64.0;
        }
        Significance.PairedTest t = pairedTest(d, rows(25, 40));
        assertEquals(25, t.drugs());
        assertEquals(0.014722049236297607, t.p(), 1e-12);
        assertEquals(73.0, t.test().statistic(), 0);
        assertTrue(t.test().exact());
        // scipy's boundary: exact up to 50 differences, the normal approximation from 51
        // /usr/bin/python3 -c 'from scipy.stats import wilcoxon; neg={3,8,11,17,26,30,41,44,49};
        //   [print(n, wilcoxon([(-k if k in neg else k)/128 for k in range(1,n+1)])) for n in (50,51)]'
        // -> 50 WilcoxonResult(statistic=229.0, pvalue=3.818192634774675e-05)
        //    51 WilcoxonResult(statistic=229.0, pvalue=4.74011684984537e-05)
        for (int n : new int[]{50, 51}) {
            double[] e = new double[n];
            for (int k = 1; k <= n; k++) {
                e[k - 1] = (java.util.Set.of(3, 8, 11, 17, 26, 30, 41, 44, 49).contains(k) ? -k : k) / 128.0;
            }
            Significance.PairedTest u = pairedTest(e, rows(n, 40));
            assertEquals(n == 50 ? 3.818192634774675e-05 : 4.74011684984537e-05, u.p(), 1e-15, "n = " + n);
            assertEquals(n == 50, u.test().exact());
        }
    }

    @Test
    void tiesUseTheNormalApproximationWithTheTieCorrection() {
        // |d| in sixteenths 1 1 2 2 3 3 3 4 5 6 6 7 (ties, no zeros): ranks 1.5 1.5 3.5 3.5 6 6 6 8 9 10.5 10.5 12, W- = 1.5 + 6 + 9 = 16.5
        // mean 12 x 13 / 4 = 39; variance (12 x 13 x 25 - (2 x 3 + 2 x 3 + 3 x 8 + 2 x 3) / 2) / 24 = (3900 - 21) / 24; no continuity correction
        // /usr/bin/python3 -c 'from scipy.stats import wilcoxon;
        //   print(wilcoxon([k/16 for k in [1,-1,2,2,-3,3,3,4,-5,6,6,7]], method="approx"))'   (correction=False, the default)
        // -> WilcoxonResult(statistic=16.5, pvalue=0.0767577078693696)
        // (scipy 1.10.1's method='auto' would take its exact path here and truncate W+ to an integer: 0.09228515625)
        Significance.PairedTest t = pairedTest(sixteenths(1, -1, 2, 2, -3, 3, 3, 4, -5, 6, 6, 7), rows(12, 40));
        assertEquals(12, t.drugs());
        assertEquals(0.0767577078693696, t.p(), 1e-12);
        assertEquals(16.5, t.test().statistic(), 0);
        assertFalse(t.test().exact());
    }

    @Test
    void zeroDifferencesAreDropped() {
        // 12 drugs, 3 with no difference: zero_method='wilcox' drops them, and zeros rule out the exact distribution
        // /usr/bin/python3 -c 'from scipy.stats import wilcoxon;
        //   print(wilcoxon([k/16 for k in [0,3,-1,0,5,6,-2,7,0,8,9,4]]))'   (zero_method='wilcox', the default)
        // -> WilcoxonResult(statistic=3.0, pvalue=0.020879263166351643)   (normal approximation over the 9 non-zero)
        Significance.PairedTest t = pairedTest(sixteenths(0, 3, -1, 0, 5, 6, -2, 7, 0, 8, 9, 4), rows(12, 40));
        assertEquals(12, t.drugs());
        assertEquals(0.020879263166351643, t.p(), 1e-12);
        assertEquals(3, t.zeroDifferences());
        assertEquals(9, t.test().n());
        assertEquals(3.0, t.test().statistic(), 0);
        assertFalse(t.test().exact());
    }

    @Test
    void theTwoSidedPValueIsCappedAtOne() {
        // 7 drugs, positive ranks {1, 6, 7}: W+ = W- = 14, the centre of the distribution. 2 x P(W >= 14) = 2 x 68/128 = 1.0625
        // /usr/bin/python3 -c 'from scipy.stats import wilcoxon; print(wilcoxon([k/16 for k in [1,-2,-3,-4,-5,6,7]]))'
        // -> WilcoxonResult(statistic=14.0, pvalue=1.0)
        Significance.PairedTest t = pairedTest(sixteenths(1, -2, -3, -4, -5, 6, 7), rows(7, 40));
        assertEquals(1.0, t.p(), 0);
        assertEquals(1.0, t.holmP(), 0);
    }

    @Test
    void drugsWithTooFewTestRowsAreLeftOut() {
        // 8 drugs with 40 test rows each and 2 with 2 rows (Pearson +1 for the model, -1 for the baseline: d = 2)
        // the 2 are left out by the default minimum of 10 rows:
        // /usr/bin/python3 -c 'from scipy.stats import wilcoxon; print(wilcoxon([k/16 for k in [3,-1,4,5,-2,6,-7,8]]))'
        // -> WilcoxonResult(statistic=10.0, pvalue=0.3125)
        double[] d = java.util.Arrays.copyOf(sixteenths(3, -1, 4, 5, -2, 6, -7, 8), 10);
        int[] n = {40, 40, 40, 40, 40, 40, 40, 40, 2, 2};
        Map<String, Scores> m = new LinkedHashMap<>();
        Map<String, Scores> b = new LinkedHashMap<>();
        for (int i = 0; i < d.length; i++) {
            boolean few = n[i] == 2;
            m.put("drug" + i, new RegressionMetrics(n[i], 1, few ? 1 : 0.5 + d[i], 0, 0));
            b.put("drug" + i, new RegressionMetrics(n[i], 1, few ? -1 : 0.5, 0, 0));
        }
        GroupedMetrics gm = new GroupedMetrics(m, "pearson", 0, 0, 10);
        Map<String, GroupedMetrics> gb = Map.of("ridge", new GroupedMetrics(b, "pearson", 0, 0, 10));
        Significance.PairedTest t = Significance.perDrugTests(gm, gb).get("ridge");
        assertEquals(8, t.drugs());
        assertEquals(0.3125, t.p(), 1e-12);
        assertTrue(t.test().exact());
        assertEquals(new Significance.DrugRows(10, 10, 2), Significance.drugRows(gm, 10));
        // min_rows_per_drug: 2 lets them in, and their two equal differences of 2 are a tie:
        // /usr/bin/python3 -c 'from scipy.stats import wilcoxon; print(wilcoxon([k/16 for k in [3,-1,4,5,-2,6,-7,8]] + [2.0, 2.0], method="approx"))'
        // -> WilcoxonResult(statistic=10.0, pvalue=0.07427354970552418)
        Significance.PairedTest all = Significance.perDrugTests(gm, gb, 2).get("ridge");
        assertEquals(10, all.drugs());
        assertEquals(0.07427354970552418, all.p(), 1e-12);
        assertFalse(all.test().exact());
        assertEquals(new Significance.DrugRows(2, 10, 0), Significance.drugRows(gm, 2));
    }

    @Test
    void metricsJsonSaysHowManyDrugsEnteredAndWhy() {
        // 12 test rows: drugs a and b with 5 rows each, c with 2; min_rows_per_drug 3 keeps a and b, leaves c out
        double[] y = {1, 2, 3, 4, 5, 1, 3, 2, 5, 4, 1, 2};
        double[] p = {1.1, 2.2, 2.9, 4.2, 4.8, 1.3, 2.5, 2.4, 4.1, 4.6, 2, 1};
        String[] drug = {"a", "a", "a", "a", "a", "b", "b", "b", "b", "b", "c", "c"};
        GroupedMetrics perDrug = GroupedMetrics.of(drug, y, p, false);
        Significance sig = Significance.of(y, p, Map.of(), eachRowItsOwnUnit(y.length), "rows", false, perDrug, Map.of(), 10, 1, 3);
        Map<String, Object> rows = (Map<String, Object>) sig.toMap().get("per_drug_tests_drugs");
        assertEquals(Map.of("min_rows_per_drug", 3, "drugs", 3, "drugs_with_enough_rows", 2, "drugs_left_out_too_few_rows", 1), rows);
        assertEquals(new Significance.DrugRows(10, 3, 3), Significance.of(y, p, Map.of(), eachRowItsOwnUnit(y.length), "rows", false, perDrug,
                Map.of(), 10, 1).drugRows(), "the default is 10 rows");
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
