package org.oncobench.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The evaluation of one model on the test part beside the naive baselines fitted on the same training part, with
 * per-drug and per-group breakdowns.
 */
public record EvaluationReport(RegressionMetrics test, Map<String, RegressionMetrics> baselines, GroupedMetrics perDrug,
                               Map<String, GroupedMetrics> perDrugBaselines, Map<String, GroupedMetrics> perGroup) {

    /** The baseline with the lowest test RMSE, or null when there is none. */
    public String bestBaseline() {
        return baselines.entrySet().stream().filter(e -> Double.isFinite(e.getValue().rmse()))
                .min(Map.Entry.comparingByValue((a, b) -> Double.compare(a.rmse(), b.rmse()))).map(Map.Entry::getKey).orElse(null);
    }

    /** The metrics.json sections for this report: test, baselines, per_drug, per_group. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("test", test.toMap());
        Map<String, Object> base = new LinkedHashMap<>();
        for (Map.Entry<String, RegressionMetrics> e : baselines.entrySet()) {
            Map<String, Object> m = e.getValue().toMap();
            if (perDrugBaselines.containsKey(e.getKey())) {
                m.put("per_drug", perDrugBaselines.get(e.getKey()).summaryMap());
            }
            base.put(e.getKey(), m);
        }
        out.put("baselines", base);
        out.put("best_baseline", bestBaseline());
        if (perDrug != null) {
            Map<String, Object> pd = new LinkedHashMap<>(perDrug.summaryMap());
            pd.put("drugs", perDrug.rows("drug"));
            out.put("per_drug", pd);
        }
        Map<String, Object> groups = new LinkedHashMap<>();
        for (Map.Entry<String, GroupedMetrics> e : perGroup.entrySet()) {
            Map<String, Object> g = new LinkedHashMap<>(e.getValue().summaryMap());
            g.put("groups", e.getValue().rows("group"));
            g.put("group_count", e.getValue().groups().size());
            groups.put(e.getKey(), g);
        }
        out.put("per_group", groups);
        return out;
    }
}
