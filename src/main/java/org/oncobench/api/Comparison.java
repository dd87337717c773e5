package org.oncobench.api;

import org.oncobench.runs.RunComparison;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs side by side ({@link Workbench#compare}): every metric of the model and the baselines per run with the change
 * from the first run, the per-drug results, and the configuration keys whose values differ. Built on the run store's
 * own comparison (the one {@code oncobench runs compare} prints).
 */
public final class Comparison implements HtmlDisplayable {
    private final RunComparison comparison;
    private final List<Run> runs;

    Comparison(RunComparison comparison, List<Run> runs) {
        this.comparison = comparison;
        this.runs = List.copyOf(runs);
    }

    public List<Run> runs() {
        return runs;
    }

    /** One row per metric (test.rmse, ridge.pearson, ...), one column per run, and the last run minus the first. */
    public Table metrics() {
        Set<String> keys = new LinkedHashSet<>();
        comparison.metrics().values().forEach(m -> keys.addAll(m.keySet()));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String k : keys) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("metric", k);
            for (String id : comparison.runs()) {
                row.put(id, comparison.metrics().get(id).get(k));
            }
            Double first = comparison.metrics().get(comparison.runs().get(0)).get(k);
            Double last = comparison.metrics().get(comparison.runs().get(comparison.runs().size() - 1)).get(k);
            row.put("last - first", first == null || last == null ? null : last - first);
            rows.add(row);
        }
        List<String> columns = new ArrayList<>(List.of("metric"));
        columns.addAll(comparison.runs());
        columns.add("last - first");
        return new Table("metrics side by side", columns, rows);
    }

    /**
     * The model's per-drug metric (Pearson, or AUC for classification) in each run, and the last run minus the first:
     * which drugs a change helped and which it hurt.
     */
    public Table perDrug() {
        String metric = runs.get(0).classification() ? "auc" : "pearson";
        Map<String, Map<String, Object>> byDrug = new LinkedHashMap<>();
        for (Run run : runs) {
            Table t = run.perDrug();
            for (Map<String, Object> r : t.rows()) {
                Map<String, Object> row = byDrug.computeIfAbsent(String.valueOf(r.get("drug")), d -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("drug", d);
                    return m;
                });
                row.put(run.id(), r.get(metric));
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> row : byDrug.values()) {
            Object first = row.get(runs.get(0).id());
            Object last = row.get(runs.get(runs.size() - 1).id());
            row.put("last - first", first instanceof Number a && last instanceof Number b ? b.doubleValue() - a.doubleValue() : null);
            rows.add(row);
        }
        List<String> columns = new ArrayList<>(List.of("drug"));
        runs.forEach(r -> columns.add(r.id()));
        columns.add("last - first");
        return new Table("per-drug " + metric + " side by side", columns, rows);
    }

    /** Configuration keys whose values differ, one column per run. */
    public Table configDifferences() {
        List<Map<String, Object>> rows = new ArrayList<>();
        comparison.configDifferences().forEach((key, values) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("key", key);
            for (int i = 0; i < values.size(); i++) {
                row.put(comparison.runs().get(i), values.get(i));
            }
            rows.add(row);
        });
        List<String> columns = new ArrayList<>(List.of("key"));
        columns.addAll(comparison.runs());
        return new Table("configuration differences", columns, rows);
    }

    @Override
    public String toHtml() {
        return metrics().toHtml() + configDifferences().toHtml();
    }

    @Override
    public String toString() {
        return metrics() + "\n" + configDifferences();
    }
}
