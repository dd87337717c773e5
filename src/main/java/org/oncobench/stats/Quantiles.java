package org.oncobench.stats;

import java.util.Arrays;

/**
 * Quantiles, one definition: type 7 of Hyndman and Fan (R's default, numpy's "linear", commons-math's
 * {@code Percentile} with {@code EstimationType.R_7}): h = (n - 1) q, linear interpolation between the order statistics
 * around h. Written out rather than called through {@code Percentile}, which computes h as ((n - 1) (100 q) / 100) and
 * so differs in the last bit for about 1 in 200 quantiles (measured): the bootstrap intervals would change. QuantilesTest
 * checks the two agree to 1e-12. Split conformal prediction's finite-sample order statistic is a different thing, kept
 * here beside it: {@link #conformal}.
 */
public final class Quantiles {
    private Quantiles() {
    }

    /** The q-quantile (type 7) of values already sorted ascending. */
    public static double ofSorted(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /** The q-quantile (type 7) of values in any order (not changed). */
    public static double of(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return ofSorted(sorted, q);
    }

    /**
     * The central percentile interval at {@code level} of values already sorted: the (1 - level) / 2 and
     * (1 + level) / 2 quantiles (type 7).
     */
    public static double[] centralInterval(double[] sorted, double level) {
        double alpha = (1 - level) / 2;
        return new double[]{ofSorted(sorted, alpha), ofSorted(sorted, 1 - alpha)};
    }

    /**
     * Split conformal prediction's quantile: the ceil((n + 1) level)-th smallest of n calibration scores (Vovk et al.;
     * Lei et al. 2018), which covers a new exchangeable score with probability at least {@code level}; infinite when that
     * rank exceeds n (too few scores for the level).
     */
    public static double conformal(double[] scores, double level) {
        double[] s = scores.clone();
        Arrays.sort(s);
        int k = (int) Math.ceil((s.length + 1) * level);
        return k > s.length ? Double.POSITIVE_INFINITY : s[k - 1];
    }
}
