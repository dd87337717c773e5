package org.oncobench.eval;

import org.oncobench.stats.Ranks;
import org.oncobench.stats.PairMoments;
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
        PairMoments m = PairMoments.of(observed, predicted, null);
        return new RegressionMetrics(n, m.rmse(), m.pearson(), PairMoments.pearson(Ranks.average(observed), Ranks.average(predicted)), m.r2());
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
