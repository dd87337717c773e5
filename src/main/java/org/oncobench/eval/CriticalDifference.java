package org.oncobench.eval;

import org.oncobench.stats.Ranks;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.FDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares k predictors over N blocks (drugs, or folds) as Demšar (JMLR 2006) and DrEval do: ranks within each block
 * (ties share their mean rank), the Friedman test of equal mean ranks (chi-square, and Iman and Davenport's F), then
 * the Nemenyi post-hoc critical difference {@code CD = q_alpha * sqrt(k (k + 1) / (6 N))}: two predictors whose mean
 * ranks differ by less than CD are not significantly different. {@code q_alpha} is the studentized range quantile at
 * infinite degrees of freedom over sqrt(2), computed here (it matches Demšar's table: 2.343 for k = 3 at 0.05).
 */
public final class CriticalDifference {
    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    /**
     * @param names       the predictors, in column order
     * @param meanRanks   mean rank per predictor (1 = best)
     * @param blocks      N, the blocks with a value for every predictor
     * @param cd          Nemenyi critical difference at alpha
     * @param cliques     groups of predictors (by index, best first) whose mean ranks lie within CD of each other
     */
    public record Result(List<String> names, double[] meanRanks, int blocks, double chiSquare, double friedmanP, double imanDavenportF,
                         double imanDavenportP, double alpha, double qAlpha, double cd, List<int[]> cliques) {

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            Map<String, Double> ranks = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                ranks.put(names.get(i), meanRanks[i]);
            }
            m.put("mean_ranks", ranks);
            m.put("blocks", blocks);
            m.put("friedman_chi2", chiSquare);
            m.put("friedman_p", friedmanP);
            m.put("iman_davenport_f", Double.isFinite(imanDavenportF) ? imanDavenportF : null);
            m.put("iman_davenport_p", Double.isFinite(imanDavenportP) ? imanDavenportP : null);
            m.put("alpha", alpha);
            m.put("nemenyi_q", qAlpha);
            m.put("critical_difference", cd);
            m.put("cliques", cliques.stream().map(c -> java.util.Arrays.stream(c).mapToObj(names::get).toList()).toList());
            return m;
        }
    }

    private CriticalDifference() {
    }

    /**
     * @param values        values[block][predictor]; blocks with a non-finite value are left out
     * @param lowerIsBetter RMSE (true) or Pearson / AUC (false)
     */
    public static Result of(List<String> names, double[][] values, boolean lowerIsBetter, double alpha) {
        int k = names.size();
        if (k < 2) {
            throw new IllegalArgumentException("a critical-difference comparison needs at least two predictors, got " + k);
        }
        List<double[]> complete = new ArrayList<>();
        for (double[] row : values) {
            if (row.length != k) {
                throw new IllegalArgumentException("a block has " + row.length + " values for " + k + " predictors");
            }
            if (java.util.Arrays.stream(row).allMatch(Double::isFinite)) {
                complete.add(row);
            }
        }
        int n = complete.size();
        if (n < 2) {
            throw new IllegalArgumentException("a critical-difference comparison needs at least two blocks with every predictor scored, got " + n);
        }
        double[] meanRanks = new double[k];
        for (double[] row : complete) {
            double[] r = ranks(row, lowerIsBetter);
            for (int j = 0; j < k; j++) {
                meanRanks[j] += r[j] / n;
            }
        }
        double sumSq = 0;
        for (double r : meanRanks) {
            sumSq += r * r;
        }
        double chi2 = 12.0 * n / (k * (k + 1.0)) * (sumSq - k * (k + 1.0) * (k + 1.0) / 4.0);
        double p = 1 - new ChiSquaredDistribution(null, k - 1).cumulativeProbability(chi2);
        double f = (n - 1) * chi2 / (n * (k - 1.0) - chi2);
        double fp = Double.isFinite(f) && f >= 0 ? 1 - new FDistribution(null, k - 1, (k - 1.0) * (n - 1)).cumulativeProbability(f) : Double.NaN;
        double q = nemenyiQ(k, alpha);
        double cd = q * Math.sqrt(k * (k + 1.0) / (6.0 * n));
        return new Result(List.copyOf(names), meanRanks, n, chi2, p, f, fp, alpha, q, cd, cliques(meanRanks, cd));
    }

    /** Ranks within one block, 1 = best; tied values share the mean of their ranks. */
    static double[] ranks(double[] row, boolean lowerIsBetter) {
        return Ranks.best(row, lowerIsBetter);
    }

    /** The Nemenyi test's critical value: the studentized range quantile (k means, infinite df) at 1 - alpha, over sqrt(2). */
    public static double nemenyiQ(int k, double alpha) {
        double lo = 0;
        double hi = 10;
        for (int i = 0; i < 60; i++) {
            double mid = (lo + hi) / 2;
            if (rangeCdf(mid, k) < 1 - alpha) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2 / Math.sqrt(2);
    }

    /** P(range of k standard normals <= q) = k * integral phi(z) (Phi(z + q) - Phi(z))^(k-1) dz (Simpson's rule on [-8, 8]). */
    static double rangeCdf(double q, int k) {
        int steps = 4000;
        double a = -8;
        double h = 16.0 / steps;
        double sum = 0;
        for (int i = 0; i <= steps; i++) {
            double z = a + i * h;
            double v = NORMAL.density(z) * Math.pow(NORMAL.cumulativeProbability(z + q) - NORMAL.cumulativeProbability(z), k - 1);
            sum += v * (i == 0 || i == steps ? 1 : i % 2 == 1 ? 4 : 2);
        }
        return k * sum * h / 3;
    }

    /** Maximal runs of predictors (sorted by mean rank) whose first and last lie within cd; those of one predictor are left out. */
    static List<int[]> cliques(double[] meanRanks, double cd) {
        Integer[] order = new Integer[meanRanks.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(meanRanks[a], meanRanks[b]));
        List<int[]> out = new ArrayList<>();
        int lastEnd = -1;
        for (int i = 0; i < order.length; i++) {
            int j = i;
            while (j + 1 < order.length && meanRanks[order[j + 1]] - meanRanks[order[i]] < cd) {
                j++;
            }
            if (j > i && j > lastEnd) {
                int[] c = new int[j - i + 1];
                for (int t = i; t <= j; t++) {
                    c[t - i] = order[t];
                }
                out.add(c);
                lastEnd = j;
            }
        }
        return out;
    }
}
