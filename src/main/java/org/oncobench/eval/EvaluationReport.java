package org.oncobench.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The evaluation of one model on test rows beside the naive baselines fitted on the same training rows, with
 * per-drug and per-group breakdowns.
 */
public record EvaluationReport(Scores test, Map<String, Scores> baselines, GroupedMetrics perDrug,
                               Map<String, GroupedMetrics> perDrugBaselines, Map<String, GroupedMetrics> perGroup) {

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
        out.put("test", test.toMap());
        Map<String, Object> base = new LinkedHashMap<>();
        for (Map.Entry<String, Scores> e : baselines.entrySet()) {
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
            g.put("rows", e.getValue().rows("group"));
            groups.put(e.getKey(), g);
        }
        out.put("per_group", groups);
        return out;
    }
}
