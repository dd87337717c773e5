package org.oncobench.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The evaluation of one model on test rows beside the baselines fitted on the same training rows, with per-drug and
 * per-group breakdowns, and (regression with drugs) every predictor's metrics beyond the mean effects.
 *
 * @param beyondMeanEffects keyed by {@link #MODEL} and by baseline name; empty where not defined
 * @param calibration       classification: reliability bins ({@link Calibration#reliability}) keyed like beyondMeanEffects
 */
public record EvaluationReport(Scores test, Map<String, Scores> baselines, GroupedMetrics perDrug,
                               Map<String, GroupedMetrics> perDrugBaselines, Map<String, GroupedMetrics> perGroup,
                               Map<String, BeyondMeanEffects> beyondMeanEffects, Map<String, List<Map<String, Object>>> calibration) {
    public static final String MODEL = "model";

    public EvaluationReport(Scores test, Map<String, Scores> baselines, GroupedMetrics perDrug, Map<String, GroupedMetrics> perDrugBaselines,
                            Map<String, GroupedMetrics> perGroup) {
        this(test, baselines, perDrug, perDrugBaselines, perGroup, Map.of(), Map.of());
    }

    /** The baseline with the best headline metric, or null when there is none. */
    public String bestBaseline() {
        String best = null;
        for (Map.Entry<String, Scores> e : baselines.entrySet()) {
            if (best == null || e.getValue().betterThan(baselines.get(best))) {
                best = e.getKey();
            }
        }
        return best;
    }

    /** The metrics.json sections for this report: test, baselines, best_baseline, per_drug, per_group. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> testMap = new LinkedHashMap<>(test.toMap());
        if (beyondMeanEffects.containsKey(MODEL)) {
            testMap.putAll(beyondMeanEffects.get(MODEL).toMap());
        }
        out.put("test", testMap);
        Map<String, Object> base = new LinkedHashMap<>();
        for (Map.Entry<String, Scores> e : baselines.entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>(e.getValue().toMap());
            BeyondMeanEffects b = beyondMeanEffects.get(e.getKey());
            if (b != null) {
                m.putAll(b.toMap());
            }
            if (perDrugBaselines.containsKey(e.getKey())) {
                Map<String, Object> pd = new LinkedHashMap<>(perDrugBaselines.get(e.getKey()).summaryMap());
                if (b != null) {
                    pd.putAll(b.perDrugSummary());
                }
                pd.put("drugs", perDrugBaselines.get(e.getKey()).rows("drug")); // per drug, as the model's: a study's CD diagram ranks them
                m.put("per_drug", pd);
            }
            base.put(e.getKey(), m);
        }
        out.put("baselines", base);
        out.put("best_baseline", bestBaseline());
        if (perDrug != null) {
            Map<String, Object> pd = new LinkedHashMap<>(perDrug.summaryMap());
            BeyondMeanEffects b = beyondMeanEffects.get(MODEL);
            List<Map<String, Object>> drugs = perDrug.rows("drug");
            if (b != null) {
                pd.putAll(b.perDrugSummary());
                for (Map<String, Object> row : drugs) { // each drug's Pearson beyond the mean effects, beside its plain one
                    Scores s = b.perDrug().groups().get(String.valueOf(row.get("drug")));
                    row.put("pearson" + BeyondMeanEffects.SUFFIX, s == null ? null : RegressionMetrics.finite(s.groupMetric()));
                }
            }
            pd.put("drugs", drugs);
            out.put("per_drug", pd);
        }
        Map<String, Object> groups = new LinkedHashMap<>();
        for (Map.Entry<String, GroupedMetrics> e : perGroup.entrySet()) {
            Map<String, Object> g = new LinkedHashMap<>(e.getValue().summaryMap());
            g.put("rows", e.getValue().rows("group"));
            groups.put(e.getKey(), g);
        }
        out.put("per_group", groups);
        if (!calibration.isEmpty()) {
            out.put("calibration", calibration);
        }
        return out;
    }
}
