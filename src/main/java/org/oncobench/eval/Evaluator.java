package org.oncobench.eval;

import org.oncobench.data.Cohort;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Scores test predictions and the requested baselines (fitted on the training rows) on the same test rows. */
public final class Evaluator {

    public EvaluationReport evaluate(Cohort cohort, int[] trainRows, int[] testRows, double[] predicted, List<String> baselineNames) {
        double[] observed = new double[testRows.length];
        for (int i = 0; i < testRows.length; i++) {
            observed[i] = cohort.targets()[testRows[i]];
        }
        RegressionMetrics test = RegressionMetrics.of(observed, predicted);
        Baselines baselines = Baselines.fit(cohort, trainRows);
        Map<String, RegressionMetrics> baseMetrics = new LinkedHashMap<>();
        Map<String, GroupedMetrics> basePerDrug = new LinkedHashMap<>();
        String[] drugOfRow = null;
        if (cohort.hasDrugs()) {
            drugOfRow = new String[testRows.length];
            for (int i = 0; i < testRows.length; i++) {
                drugOfRow[i] = cohort.drugIds().get(cohort.rowDrug()[testRows[i]]);
            }
        }
        for (Map.Entry<String, double[]> e : baselines.predictAll(baselineNames, cohort, testRows).entrySet()) {
            baseMetrics.put(e.getKey(), RegressionMetrics.of(observed, e.getValue()));
            if (drugOfRow != null) {
                basePerDrug.put(e.getKey(), GroupedMetrics.of(drugOfRow, observed, e.getValue()));
            }
        }
        GroupedMetrics perDrug = drugOfRow == null ? null : GroupedMetrics.of(drugOfRow, observed, predicted);
        Map<String, GroupedMetrics> perGroup = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> g : cohort.groups().entrySet()) {
            String[] groupOfRow = new String[testRows.length];
            for (int i = 0; i < testRows.length; i++) {
                groupOfRow[i] = g.getValue()[cohort.rowSample()[testRows[i]]];
            }
            perGroup.put(g.getKey(), GroupedMetrics.of(groupOfRow, observed, predicted));
        }
        return new EvaluationReport(test, baseMetrics, perDrug, basePerDrug, perGroup);
    }
}
