package org.oncobench.eval;

import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

import java.util.Arrays;

/**
 * The two-sided Wilcoxon signed-rank test of paired differences, with the conventions of scipy's
 * {@code scipy.stats.wilcoxon(d)} at its defaults: zero differences are dropped before ranking (Wilcoxon's own
 * {@code zero_method='wilcox'}); ties in |d| get average ranks; the statistic is min(W+, W-). The p-value is exact (the
 * null distribution of W+ over all 2^n sign patterns) only when there are no zeros, no ties and at most
 * {@link #EXACT_MAX} differences, since the exact distribution assumes neither; otherwise it is the normal
 * approximation with the tie correction of the variance, n(n+1)(2n+1)/24 - sum(t^3 - t)/48 over groups of t tied |d|,
 * and without a continuity correction ({@code correction=False}). Two-sided p-values are capped at 1.
 * <p>
 * commons-math's {@code WilcoxonSignedRankTest} is not used: it ranks zeros instead of dropping them, takes the exact
 * path with ties, applies a continuity correction without the tie correction, and its two-sided exact p-value
 * 2 P(W >= max(W+, W-)) exceeds 1 at the centre of the distribution.
 *
 * @param n         the non-zero differences the test used
 * @param zeros     the zero differences dropped
 * @param statistic min(W+, W-)
 * @param p         the two-sided p-value (1 when every difference is zero: nothing to test)
 * @param exact     whether p comes from the exact distribution (else the normal approximation with tie correction)
 */
public record WilcoxonSignedRank(int n, int zeros, double statistic, double p, boolean exact) {
    /** scipy's limit for the exact distribution ({@code method='auto'}: exact for n <= 50). */
    static final int EXACT_MAX = 50;

    public static WilcoxonSignedRank test(double[] differences) {
        double[] d = Arrays.stream(differences).filter(v -> v != 0).toArray();
        int zeros = differences.length - d.length;
        int n = d.length;
        if (n == 0) {
            return new WilcoxonSignedRank(0, zeros, 0, 1.0, false);
        }
        double[] abs = Arrays.stream(d).map(Math::abs).toArray();
        double[] ranks = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE).rank(abs);
        double plus = 0;
        double minus = 0;
        for (int i = 0; i < n; i++) {
            if (d[i] > 0) {
                plus += ranks[i];
            } else {
                minus += ranks[i];
            }
        }
        double statistic = Math.min(plus, minus);
        double tieTerm = tieTerm(abs);
        if (zeros == 0 && tieTerm == 0 && n <= EXACT_MAX) {
            return new WilcoxonSignedRank(n, zeros, statistic, exactTwoSided(n, (int) Math.round(plus)), true);
        }
        double mean = n * (n + 1) / 4.0;
        double sd = Math.sqrt((n * (n + 1.0) * (2 * n + 1) - 0.5 * tieTerm) / 24);
        double z = (statistic - mean) / sd;
        // two-sided: 2 x P(Z > |z|) = erfc(|z| / sqrt 2)
        return new WilcoxonSignedRank(n, zeros, statistic, Math.min(1, Erf.erfc(Math.abs(z) / Math.sqrt(2))), false);
    }

    /** The sum of t(t^2 - 1) over groups of t equal values (0 without ties). */
    private static double tieTerm(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        double sum = 0;
        for (int i = 0; i < s.length; ) {
            int j = i;
            while (j < s.length && s[j] == s[i]) {
                j++;
            }
            double t = j - i;
            sum += t * (t * t - 1);
            i = j;
        }
        return sum;
    }

    /**
     * 2 min(P(W+ <= w), P(W+ >= w)), capped at 1, under the null distribution of W+ for n untied, non-zero
     * differences: the number of subsets of the ranks 1..n with each sum, counted by dynamic programming (at most
     * C(50, 25) ~ 1.3e14 per sum, exact in a long).
     */
    static double exactTwoSided(int n, int w) {
        int max = n * (n + 1) / 2;
        long[] count = new long[max + 1];
        count[0] = 1;
        for (int k = 1; k <= n; k++) {
            for (int s = max; s >= k; s--) {
                count[s] += count[s - k];
            }
        }
        double total = Math.pow(2, n);
        long atMost = 0;
        long atLeast = 0;
        for (int s = 0; s <= max; s++) {
            if (s <= w) {
                atMost += count[s];
            }
            if (s >= w) {
                atLeast += count[s];
            }
        }
        return Math.min(1, 2 * Math.min(atMost, atLeast) / total);
    }

    public String method() {
        return exact ? "exact" : "normal approximation with tie correction, no continuity correction";
    }
}
