package org.oncobench.eval;

import org.oncobench.stats.Ranks;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Binary classification metrics of predicted probabilities: ROC-AUC (Mann-Whitney, ties count half), accuracy, F1
 * and the confusion counts at 0.5, Brier score, log loss and the expected calibration error ({@link Calibration}). AUC
 * is undefined (NaN) when one class is absent.
 */
public record ClassificationMetrics(int n, int positives, double auc, double accuracy, double f1, double brier, double logLoss, double ece)
        implements Scores {

    public static ClassificationMetrics of(double[] observed, double[] probability) {
        int n = observed.length;
        int positives = 0;
        if (RegressionMetrics.nonFinite(probability) > 0) {
            // NaN scores would sort last and rank as the most confident: every metric is undefined instead
            for (double o : observed) {
                positives += o > 0.5 ? 1 : 0;
            }
            return new ClassificationMetrics(n, positives, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int correct = 0;
        double brier = 0;
        double logLoss = 0;
        for (int i = 0; i < n; i++) {
            boolean pos = observed[i] > 0.5;
            boolean predPos = probability[i] >= 0.5;
            positives += pos ? 1 : 0;
            correct += pos == predPos ? 1 : 0;
            tp += pos && predPos ? 1 : 0;
            fp += !pos && predPos ? 1 : 0;
            fn += pos && !predPos ? 1 : 0;
            double p = Math.min(1 - 1e-15, Math.max(1e-15, probability[i]));
            brier += (probability[i] - (pos ? 1 : 0)) * (probability[i] - (pos ? 1 : 0));
            logLoss -= pos ? Math.log(p) : Math.log(1 - p);
        }
        double f1 = 2.0 * tp + fp + fn == 0 ? Double.NaN : 2.0 * tp / (2.0 * tp + fp + fn);
        return new ClassificationMetrics(n, positives, auc(observed, probability), n == 0 ? Double.NaN : (double) correct / n, f1,
                n == 0 ? Double.NaN : brier / n, n == 0 ? Double.NaN : logLoss / n, Calibration.expectedCalibrationError(observed, probability));
    }

    /** ROC-AUC as the Mann-Whitney statistic on average ranks. */
    public static double auc(double[] observed, double[] score) {
        if (RegressionMetrics.nonFinite(score) > 0) {
            return Double.NaN;
        }
        double[] ranks = Ranks.average(score);
        double rankSum = 0;
        long pos = 0;
        for (int i = 0; i < observed.length; i++) {
            if (observed[i] > 0.5) {
                rankSum += ranks[i];
                pos++;
            }
        }
        long neg = observed.length - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    @Override
    public double headline() {
        return auc;
    }

    @Override
    public String headlineName() {
        return "auc";
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public double groupMetric() {
        return auc;
    }

    @Override
    public String groupMetricName() {
        return "auc";
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", n);
        m.put("positives", positives);
        m.put("auc", RegressionMetrics.finite(auc));
        m.put("accuracy", RegressionMetrics.finite(accuracy));
        m.put("f1", RegressionMetrics.finite(f1));
        m.put("brier", RegressionMetrics.finite(brier));
        m.put("log_loss", RegressionMetrics.finite(logLoss));
        m.put("ece", RegressionMetrics.finite(ece));
        return m;
    }
}
