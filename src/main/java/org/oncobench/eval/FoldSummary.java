package org.oncobench.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Mean ± sd (sample sd, n - 1) of every numeric metric across folds, for the model and each baseline. */
public final class FoldSummary {
    private FoldSummary() {
    }

    public static Map<String, Object> of(List<EvaluationReport> folds) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", summarise(folds.stream().map(f -> f.test().toMap()).toList()));
        if (!folds.isEmpty()) {
            Map<String, Object> base = new LinkedHashMap<>();
            for (String name : folds.get(0).baselines().keySet()) {
                base.put(name, summarise(folds.stream().map(f -> f.baselines().get(name).toMap()).toList()));
            }
            out.put("baselines", base);
        }
        return out;
    }

    static Map<String, Object> summarise(List<Map<String, Object>> maps) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (maps.isEmpty()) {
            return out;
        }
        for (String key : maps.get(0).keySet()) {
            if (key.equals("n") || key.equals("positives")) {
                continue;
            }
            List<Double> values = new ArrayList<>();
            for (Map<String, Object> m : maps) {
                if (m.get(key) instanceof Number num && Double.isFinite(num.doubleValue())) {
                    values.add(num.doubleValue());
                }
            }
            double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double ss = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
            Map<String, Object> stat = new LinkedHashMap<>();
            stat.put("mean", RegressionMetrics.finite(mean));
            stat.put("sd", values.size() > 1 ? RegressionMetrics.finite(Math.sqrt(ss / (values.size() - 1))) : null);
            stat.put("folds", values.size());
            out.put(key, stat);
        }
        return out;
    }
}
