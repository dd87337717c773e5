package org.oncobench.eval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RMSE, Pearson, Spearman (average ranks for ties) and R² of predictions against observations. A correlation of a
 * constant vector is undefined and reported as NaN (written as null in JSON).
 */
public record RegressionMetrics(int n, double rmse, double pearson, double spearman, double r2) implements Scores {

    @Override
    public double headline() {
        return rmse;
    }

    @Override
    public String headlineName() {
        return "rmse";
    }

    @Override
    public boolean higherIsBetter() {
        return false;
    }

    @Override
    public double groupMetric() {
        return pearson;
    }

    @Override
    public String groupMetricName() {
        return "pearson";
    }


    public static RegressionMetrics of(double[] observed, double[] predicted) {
        if (observed.length != predicted.length) {
            throw new IllegalArgumentException("observed " + observed.length + " != predicted " + predicted.length);
        }
        int n = observed.length;
        if (n == 0 || nonFinite(predicted) > 0) {
            // a diverged model's NaN or infinite outputs have no rank and no error: no metric may look finite
            return new RegressionMetrics(n, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double se = 0;
        double mean = 0;
        for (int i = 0; i < n; i++) {
            double e = observed[i] - predicted[i];
            se += e * e;
            mean += observed[i];
        }
        mean /= n;
        double ss = 0;
        for (double y : observed) {
            ss += (y - mean) * (y - mean);
        }
        return new RegressionMetrics(n, Math.sqrt(se / n), pearson(observed, predicted), pearson(ranks(observed), ranks(predicted)),
                ss == 0 ? Double.NaN : 1 - se / ss);
    }

    public static double pearson(double[] a, double[] b) {
        int n = a.length;
        if (n < 2) {
            return Double.NaN;
        }
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < n; i++) {
            double da = a[i] - ma;
            double db = b[i] - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
        if (saa == 0 || sbb == 0 || isConstant(a) || isConstant(b)) {
            return Double.NaN;
        }
        return sab / Math.sqrt(saa * sbb);
    }

    private static boolean isConstant(double[] v) {
        for (double x : v) {
            if (x != v[0]) {
                return false;
            }
        }
        return true;
    }

    /** How many values are NaN or infinite. */
    public static int nonFinite(double[] values) {
        int count = 0;
        for (double v : values) {
            if (!Double.isFinite(v)) {
                count++;
            }
        }
        return count;
    }

    /** 1-based ranks; tied values share the average of their ranks. Callers pass finite values (NaN has no rank). */
    public static double[] ranks(double[] values) {
        int n = values.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(values[x], values[y]));
        double[] ranks = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = rank;
            }
            i = j + 1;
        }
        return ranks;
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", n);
        m.put("rmse", finite(rmse));
        m.put("pearson", finite(pearson));
        m.put("spearman", finite(spearman));
        m.put("r2", finite(r2));
        return m;
    }

    public static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
