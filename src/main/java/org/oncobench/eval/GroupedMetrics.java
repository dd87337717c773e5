package org.oncobench.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Metrics per group of rows (per drug, per tissue) and the mean and median of the group metric across groups
 * (Pearson for regression, AUC for classification). Per-drug Pearson is the honest headline for drug response: it
 * ignores the differences between drugs that any drug-mean predictor already gets.
 */
public record GroupedMetrics(Map<String, Scores> groups, String metricName, double mean, double median, int groupsWithMetric) {
    public static final int MIN_ROWS = 3;

    public static GroupedMetrics of(String[] groupOfRow, double[] observed, double[] predicted, boolean classification) {
        Map<String, List<Integer>> members = new TreeMap<>();
        for (int i = 0; i < groupOfRow.length; i++) {
            members.computeIfAbsent(groupOfRow[i], k -> new ArrayList<>()).add(i);
        }
        Map<String, Scores> groups = new LinkedHashMap<>();
        List<Double> values = new ArrayList<>();
        String name = classification ? "auc" : "pearson";
        for (Map.Entry<String, List<Integer>> e : members.entrySet()) {
            List<Integer> idx = e.getValue();
            double[] o = new double[idx.size()];
            double[] p = new double[idx.size()];
            for (int k = 0; k < idx.size(); k++) {
                o[k] = observed[idx.get(k)];
                p[k] = predicted[idx.get(k)];
            }
            Scores s = Scores.of(classification, o, p);
            groups.put(e.getKey(), s);
            if (idx.size() >= MIN_ROWS && Double.isFinite(s.groupMetric())) {
                values.add(s.groupMetric());
            }
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double median = sorted.length == 0 ? Double.NaN
                : sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return new GroupedMetrics(groups, name, mean, median, sorted.length);
    }

    /** Count of groups, then the mean and median across groups (of at least MIN_ROWS rows) of every metric. */
    public Map<String, Object> summaryMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("groups", groups.size());
        m.put("groups_with_" + metricName, groupsWithMetric);
        m.put(metricName + "_mean", RegressionMetrics.finite(mean));
        m.put(metricName + "_median", RegressionMetrics.finite(median));
        if (groups.isEmpty()) {
            return m;
        }
        for (String key : groups.values().iterator().next().toMap().keySet()) {
            if (key.equals("n") || key.equals("positives") || key.equals(metricName)) {
                continue;
            }
            double[] values = groups.values().stream().filter(s -> ((Number) s.toMap().get("n")).intValue() >= MIN_ROWS)
                    .map(s -> s.toMap().get(key)).filter(v -> v instanceof Number).mapToDouble(v -> ((Number) v).doubleValue())
                    .filter(Double::isFinite).sorted().toArray();
            if (values.length > 0) {
                m.put(key + "_mean", java.util.Arrays.stream(values).average().orElse(Double.NaN));
                m.put(key + "_median", values.length % 2 == 1 ? values[values.length / 2]
                        : (values[values.length / 2 - 1] + values[values.length / 2]) / 2);
            }
        }
        return m;
    }

    public List<Map<String, Object>> rows(String keyName) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<String, Scores> e : groups.entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(keyName, e.getKey());
            m.putAll(e.getValue().toMap());
            out.add(m);
        }
        return out;
    }
}
