package org.oncobench.eval;

import org.oncobench.data.Cohort;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Scores test predictions and baseline predictions for the same test rows, globally, per drug and per group. */
public final class Evaluator {

    public EvaluationReport evaluate(Cohort cohort, int[] testRows, double[] predicted, Map<String, double[]> baselinePredictions,
                                     boolean classification) {
        return evaluate(cohort, testRows, predicted, baselinePredictions, classification, null);
    }

    /**
     * @param meanEffects the mean-effects predictor's predictions for the test rows (regression with drugs), for the
     *                    normalised metrics ({@link BeyondMeanEffects}); null leaves them out
     */
    public EvaluationReport evaluate(Cohort cohort, int[] testRows, double[] predicted, Map<String, double[]> baselinePredictions,
                                     boolean classification, double[] meanEffects) {
        double[] observed = new double[testRows.length];
        for (int i = 0; i < testRows.length; i++) {
            observed[i] = cohort.targets()[testRows[i]];
        }
        Scores test = Scores.of(classification, observed, predicted);
        String[] drugOfRow = null;
        if (cohort.hasDrugs()) {
            drugOfRow = new String[testRows.length];
            for (int i = 0; i < testRows.length; i++) {
                drugOfRow[i] = cohort.drugIds().get(cohort.rowDrug()[testRows[i]]);
            }
        }
        Map<String, Scores> baseMetrics = new LinkedHashMap<>();
        Map<String, GroupedMetrics> basePerDrug = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : baselinePredictions.entrySet()) {
            baseMetrics.put(e.getKey(), Scores.of(classification, observed, e.getValue()));
            if (drugOfRow != null) {
                basePerDrug.put(e.getKey(), GroupedMetrics.of(drugOfRow, observed, e.getValue(), classification));
            }
        }
        GroupedMetrics perDrug = drugOfRow == null ? null : GroupedMetrics.of(drugOfRow, observed, predicted, classification);
        Map<String, GroupedMetrics> perGroup = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> g : cohort.groups().entrySet()) {
            String[] groupOfRow = new String[testRows.length];
            for (int i = 0; i < testRows.length; i++) {
                groupOfRow[i] = g.getValue()[cohort.rowSample()[testRows[i]]];
            }
            perGroup.put(g.getKey(), GroupedMetrics.of(groupOfRow, observed, predicted, classification));
        }
        Map<String, BeyondMeanEffects> beyond = new LinkedHashMap<>();
        if (meanEffects != null && !classification) {
            beyond.put(EvaluationReport.MODEL, BeyondMeanEffects.of(observed, predicted, meanEffects, drugOfRow));
            for (Map.Entry<String, double[]> e : baselinePredictions.entrySet()) {
                beyond.put(e.getKey(), BeyondMeanEffects.of(observed, e.getValue(), meanEffects, drugOfRow));
            }
        }
        Map<String, List<Map<String, Object>>> calibration = new LinkedHashMap<>();
        if (classification) {
            calibration.put(EvaluationReport.MODEL, Calibration.reliability(observed, predicted));
            baselinePredictions.forEach((name, p) -> calibration.put(name, Calibration.reliability(observed, p)));
        }
        return new EvaluationReport(test, baseMetrics, perDrug, basePerDrug, perGroup, beyond, calibration);
    }

    /** Convenience for a single split: fits the baselines on the training rows, then evaluates. */
    public EvaluationReport evaluate(Cohort cohort, int[] trainRows, int[] testRows, double[] predicted, java.util.List<String> baselineNames) {
        Baselines means = Baselines.fit(cohort, trainRows);
        Map<String, double[]> base = new LinkedHashMap<>();
        for (String name : baselineNames) {
            base.put(name, means.predict(name, cohort, testRows));
        }
        return evaluate(cohort, testRows, predicted, base, false);
    }
}
