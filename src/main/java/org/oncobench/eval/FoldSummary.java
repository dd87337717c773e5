package org.oncobench.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mean ± sd (sample sd, n - 1) of every numeric metric across folds, for the model and each baseline; a fold where a
 * metric is undefined (one class, a constant prediction) is left out of it and the count of folds says so.
 */
public final class FoldSummary {
    private FoldSummary() {
    }

    /** Every fold's test metrics as metrics.json has them (the metrics beyond the mean effects included). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> of(List<EvaluationReport> folds) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> maps = folds.stream().map(EvaluationReport::toMap).toList();
        out.put("model", summarise(maps.stream().map(m -> (Map<String, Object>) m.get("test")).toList()));
        if (!folds.isEmpty()) {
            Map<String, Object> base = new LinkedHashMap<>();
            for (String name : folds.get(0).baselines().keySet()) {
                base.put(name, summarise(maps.stream().map(m -> (Map<String, Object>) ((Map<String, Object>) m.get("baselines")).get(name)).toList()));
            }
            out.put("baselines", base);
        }
        return out;
    }

    /** The mean and the sample sd (n - 1; NaN below two values) of some values; NaN mean when there are none. */
    public static double[] meanAndSd(double[] values) {
        double mean = java.util.Arrays.stream(values).average().orElse(Double.NaN);
        double ss = java.util.Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
        return new double[]{mean, values.length > 1 ? Math.sqrt(ss / (values.length - 1)) : Double.NaN};
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
            double[] meanSd = meanAndSd(values.stream().mapToDouble(Double::doubleValue).toArray());
            Map<String, Object> stat = new LinkedHashMap<>();
            stat.put("mean", RegressionMetrics.finite(meanSd[0]));
            stat.put("sd", values.size() > 1 ? RegressionMetrics.finite(meanSd[1]) : null);
            stat.put("folds", values.size());
            out.put(key, stat);
        }
        return out;
    }
}
