package org.oncobench.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Metrics per group of rows (per drug, per tissue) and their mean and median across groups. Per-drug Pearson is
 * the honest headline for drug response: it ignores the differences between drugs that any drug-mean predictor gets.
 */
public record GroupedMetrics(Map<String, RegressionMetrics> groups, double pearsonMean, double pearsonMedian, double spearmanMean,
                             double rmseMean, int groupsWithPearson) {
    public static final int MIN_ROWS = 3;

    public static GroupedMetrics of(String[] groupOfRow, double[] observed, double[] predicted) {
        Map<String, List<Integer>> members = new TreeMap<>();
        for (int i = 0; i < groupOfRow.length; i++) {
            members.computeIfAbsent(groupOfRow[i], k -> new ArrayList<>()).add(i);
        }
        Map<String, RegressionMetrics> groups = new LinkedHashMap<>();
        List<Double> pearsons = new ArrayList<>();
        double spearmanSum = 0;
        double rmseSum = 0;
        for (Map.Entry<String, List<Integer>> e : members.entrySet()) {
            List<Integer> idx = e.getValue();
            double[] o = new double[idx.size()];
            double[] p = new double[idx.size()];
            for (int k = 0; k < idx.size(); k++) {
                o[k] = observed[idx.get(k)];
                p[k] = predicted[idx.get(k)];
            }
            RegressionMetrics m = RegressionMetrics.of(o, p);
            groups.put(e.getKey(), m);
            rmseSum += m.rmse();
            if (idx.size() >= MIN_ROWS && Double.isFinite(m.pearson())) {
                pearsons.add(m.pearson());
                spearmanSum += Double.isFinite(m.spearman()) ? m.spearman() : 0;
            }
        }
        double mean = pearsons.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double[] sorted = pearsons.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = sorted.length == 0 ? Double.NaN
                : sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return new GroupedMetrics(groups, mean, median, pearsons.isEmpty() ? Double.NaN : spearmanSum / pearsons.size(),
                groups.isEmpty() ? Double.NaN : rmseSum / groups.size(), pearsons.size());
    }

    public Map<String, Object> summaryMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("groups", groups.size());
        m.put("groups_with_pearson", groupsWithPearson);
        m.put("pearson_mean", RegressionMetrics.finite(pearsonMean));
        m.put("pearson_median", RegressionMetrics.finite(pearsonMedian));
        m.put("spearman_mean", RegressionMetrics.finite(spearmanMean));
        m.put("rmse_mean", RegressionMetrics.finite(rmseMean));
        return m;
    }

    public List<Map<String, Object>> rows(String keyName) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<String, RegressionMetrics> e : groups.entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(keyName, e.getKey());
            m.putAll(e.getValue().toMap());
            out.add(m);
        }
        return out;
    }
}
