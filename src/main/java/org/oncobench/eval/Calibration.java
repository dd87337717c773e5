package org.oncobench.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Probabilities that mean what they say. A classifier trained with balanced class weights (the network, the logistic
 * baseline) learns the odds of a 50/50 world: {@link #toTrainingPrevalence} moves them back to the training
 * prevalence pi by Bayes' rule, p' = p pi / (p pi + (1 - p)(1 - pi)), which keeps every ranking (AUC) and makes Brier,
 * log loss and accuracy comparable with the class prior. {@link #reliability} and {@link #expectedCalibrationError}
 * measure how well predicted probabilities match observed rates (10 equal-width bins).
 */
public final class Calibration {
    public static final int BINS = 10;

    private Calibration() {
    }

    public static double toTrainingPrevalence(double balancedProbability, double prevalence) {
        double a = balancedProbability * prevalence;
        double b = (1 - balancedProbability) * (1 - prevalence);
        return a + b == 0 ? balancedProbability : a / (a + b);
    }

    public static double[] toTrainingPrevalence(double[] balanced, double prevalence) {
        double[] out = new double[balanced.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = toTrainingPrevalence(balanced[i], prevalence);
        }
        return out;
    }

    /** Per bin of predicted probability: rows, mean predicted probability and observed positive rate (empty bins left out). */
    public static List<Map<String, Object>> reliability(double[] observed, double[] probability) {
        double[] sumP = new double[BINS];
        double[] sumY = new double[BINS];
        int[] n = new int[BINS];
        for (int i = 0; i < observed.length; i++) {
            int b = Math.min(BINS - 1, Math.max(0, (int) Math.floor(probability[i] * BINS)));
            sumP[b] += probability[i];
            sumY[b] += observed[i] > 0.5 ? 1 : 0;
            n[b]++;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int b = 0; b < BINS; b++) {
            if (n[b] > 0) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("bin", String.format(java.util.Locale.ROOT, "%.1f-%.1f", b / (double) BINS, (b + 1) / (double) BINS));
                m.put("n", n[b]);
                m.put("mean_predicted", sumP[b] / n[b]);
                m.put("observed_rate", sumY[b] / n[b]);
                out.add(m);
            }
        }
        return out;
    }

    /** Sum over bins of (rows in bin / rows) x |observed rate - mean predicted probability|. */
    public static double expectedCalibrationError(double[] observed, double[] probability) {
        if (observed.length == 0) {
            return Double.NaN;
        }
        double ece = 0;
        for (Map<String, Object> bin : reliability(observed, probability)) {
            int n = (int) bin.get("n");
            ece += n / (double) observed.length * Math.abs((double) bin.get("observed_rate") - (double) bin.get("mean_predicted"));
        }
        return ece;
    }
}
