package org.oncobench.stats;

/**
 * RMSE, Pearson and R² of predictions against observations, over every row or a subset of row indices (a bootstrap
 * resample, a group), in one place: means first, then the deviations' sums in row order. Pearson is undefined (NaN) with
 * fewer than two rows or when either side is constant (its sum of squares exactly 0, or below 1e-24 of the other's:
 * float rounding of a constant); R² is undefined when the observations are constant.
 */
public record PairMoments(int n, double rmse, double pearson, double r2) {

    /** @param rows the row indices to use, or null for every row */
    public static PairMoments of(double[] observed, double[] predicted, int[] rows) {
        int n = rows == null ? observed.length : rows.length;
        if (n == 0) {
            return new PairMoments(0, Double.NaN, Double.NaN, Double.NaN);
        }
        double sy = 0;
        double sp = 0;
        for (int i = 0; i < n; i++) {
            int r = rows == null ? i : rows[i];
            sy += observed[r];
            sp += predicted[r];
        }
        double my = sy / n;
        double mp = sp / n;
        double se = 0;
        double syy = 0;
        double spp = 0;
        double syp = 0;
        for (int i = 0; i < n; i++) {
            int r = rows == null ? i : rows[i];
            double dy = observed[r] - my;
            double dp = predicted[r] - mp;
            double e = observed[r] - predicted[r];
            se += e * e;
            syy += dy * dy;
            spp += dp * dp;
            syp += dy * dp;
        }
        boolean constant = n < 2 || syy == 0 || spp == 0 || syy < 1e-24 * Math.max(1, spp) || spp < 1e-24 * Math.max(1, syy)
                || constant(observed, rows) || constant(predicted, rows);
        return new PairMoments(n, Math.sqrt(se / n), constant ? Double.NaN : syp / Math.sqrt(syy * spp), syy == 0 ? Double.NaN : 1 - se / syy);
    }

    /** Pearson's correlation of two arrays of one length. */
    public static double pearson(double[] a, double[] b) {
        return of(a, b, null).pearson();
    }

    private static boolean constant(double[] v, int[] rows) {
        int n = rows == null ? v.length : rows.length;
        double first = v[rows == null ? 0 : rows[0]];
        for (int i = 1; i < n; i++) {
            if (v[rows == null ? i : rows[i]] != first) {
                return false;
            }
        }
        return true;
    }
}
