package org.oncobench.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The model beside one baseline within each group of test rows (each drug, each tissue), every number with its 95%
 * interval: {@link Significance}'s cluster bootstrap run on the group's rows alone, resampling the group's samples
 * (cell lines), with the paired difference model minus baseline on the same resamples. Regression shows Pearson and RMSE,
 * classification AUC and Brier. Without resamples (evaluation.bootstrap: 0) the intervals are missing, never invented.
 *
 * @param baseline the baseline beside the model (the run's best), null when the run has none
 * @param metrics  the metrics shown, in order
 * @param groups   by group label, in label order
 */
public record GroupComparison(String baseline, List<String> metrics, int resamples, Map<String, Row> groups) {

    /** One group: its test rows and, per metric, the model's, the baseline's and the difference's intervals. */
    public record Row(int n, Map<String, Significance.Interval> model, Map<String, Significance.Interval> baseline,
                      Map<String, Significance.Interval> difference) {
    }

    /**
     * @param groupOfRow  each test row's group (drug id, tissue)
     * @param unitOfRow   each test row's resampling unit (its sample)
     * @param baselinePredicted the baseline's predictions of the same rows (null: the model alone)
     */
    public static GroupComparison of(String[] groupOfRow, String[] unitOfRow, double[] observed, double[] predicted, String baseline,
                                     double[] baselinePredicted, boolean classification, int resamples, long seed) {
        Map<String, List<Integer>> rowsOf = new TreeMap<>();
        for (int i = 0; i < groupOfRow.length; i++) {
            if (groupOfRow[i] != null) {
                rowsOf.computeIfAbsent(groupOfRow[i], k -> new ArrayList<>()).add(i);
            }
        }
        List<String> metrics = classification ? List.of("auc", "brier") : List.of("pearson", "rmse");
        Map<String, Row> groups = new LinkedHashMap<>();
        int g = 0;
        for (Map.Entry<String, List<Integer>> e : rowsOf.entrySet()) {
            int[] rows = e.getValue().stream().mapToInt(Integer::intValue).toArray();
            double[] o = pick(observed, rows);
            Map<String, double[]> base = baselinePredicted == null ? Map.of() : Map.of(baseline, pick(baselinePredicted, rows));
            String[] units = new String[rows.length];
            for (int k = 0; k < rows.length; k++) {
                units[k] = unitOfRow[rows[k]];
            }
            // each group its own seeded stream: a group's intervals do not depend on which other groups there are
            Significance s = Significance.of(o, pick(predicted, rows), base, units, "samples", classification, null, Map.of(),
                    Math.max(resamples, 1), seed * 31 + (g++) * 1_000_003L + e.getKey().hashCode());
            Map<String, Significance.Interval> model = only(s.intervals().get(Significance.MODEL), metrics, resamples);
            Map<String, Significance.Interval> b = baselinePredicted == null ? Map.of() : only(s.intervals().get(baseline), metrics, resamples);
            Map<String, Significance.Interval> d = baselinePredicted == null ? Map.of() : only(s.differences().get(baseline), metrics, resamples);
            groups.put(e.getKey(), new Row(rows.length, model, b, d));
        }
        return new GroupComparison(baselinePredicted == null ? null : baseline, metrics, resamples, groups);
    }

    private static double[] pick(double[] values, int[] rows) {
        double[] out = new double[rows.length];
        for (int k = 0; k < rows.length; k++) {
            out[k] = values[rows[k]];
        }
        return out;
    }

    /** The shown metrics' intervals; without resamples, the estimates alone. */
    private static Map<String, Significance.Interval> only(Map<String, Significance.Interval> all, List<String> metrics, int resamples) {
        Map<String, Significance.Interval> out = new LinkedHashMap<>();
        for (String m : metrics) {
            Significance.Interval i = all.get(m);
            out.put(m, resamples > 0 ? i : new Significance.Interval(i.estimate(), Double.NaN, Double.NaN));
        }
        return out;
    }
}
