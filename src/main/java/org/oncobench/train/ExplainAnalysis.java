package org.oncobench.train;

import org.oncobench.config.ExperimentConfig;
import org.oncobench.eval.Charts;
import org.oncobench.explain.RunExplainer;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What drove the test predictions ({@code evaluation.explain}): attributions of a single split's test rows, written
 * to explanations.csv, their global and per-drug summary, and permutation importance.
 */
final class ExplainAnalysis implements Analysis {
    record Result(Map<String, Object> summary) implements AnalysisResult {
        @Override
        public Object json() {
            return summary;
        }

        /** The headline: the five most important features over every input table (as the importance chart ranks them). */
        @Override
        @SuppressWarnings("unchecked")
        public String console() {
            List<Map.Entry<String, Double>> all = new java.util.ArrayList<>();
            ((Map<String, Object>) summary.get("tables")).forEach((table, v) -> {
                for (Map<String, Object> f : (List<Map<String, Object>>) ((Map<String, Object>) v).get("top")) {
                    all.add(Map.entry(table + ": " + f.get("feature"), ((Number) f.get("mean_abs_attribution")).doubleValue()));
                }
            });
            all.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  top features (mean |attribution|, %s over %s test rows; explanations.csv):%n",
                    String.valueOf(summary.get("method")).replace('_', ' '), summary.get("rows_explained")));
            for (int i = 0; i < Math.min(5, all.size()); i++) {
                sb.append(String.format(Locale.ROOT, "    %d. %-40s %.4f%n", i + 1, all.get(i).getKey(), all.get(i).getValue()));
            }
            return sb.toString();
        }

        @Override
        @SuppressWarnings("unchecked")
        public String section() {
            Map<String, Object> x = summary;
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%n## What drove the predictions%n%n%s over %s test rows (%s); baseline: %s. "
                    + "Attributions are in %s.%n", String.valueOf(x.get("method")).replace('_', ' ') + (x.get("steps") != null ? " (" + x.get("steps")
                    + " steps)" : ""), x.get("rows_explained"), "explanations.csv holds each one's top features", x.get("baseline"), x.get("units")));
            if (x.get("completeness") instanceof Map<?, ?> comp && comp.get("median_relative_error") instanceof Number med) {
                sb.append(String.format(Locale.ROOT, "Completeness: the attributions of a row sum to f(x) - f(baseline) within %.2f%% (median) and "
                        + "%.1f%% of rows within 1%%.%n", 100 * med.doubleValue(), 100 * ((Number) comp.get("within_1_percent")).doubleValue()));
            }
            sb.append("\n| input table | share of attribution | top features (mean abs attribution) |\n|---|---:|---|\n");
            ((Map<String, Object>) x.get("tables")).forEach((name, v) -> {
                Map<String, Object> t = (Map<String, Object>) v;
                List<Map<String, Object>> top = (List<Map<String, Object>>) t.get("top");
                sb.append(String.format(Locale.ROOT, "| %s | %.1f%% | %s |%n", name, 100 * ((Number) t.getOrDefault("share", 0.0)).doubleValue(),
                        String.join(", ", top.stream().limit(5).map(f -> f.get("feature") + String.format(Locale.ROOT, " (%.3f)",
                                ((Number) f.get("mean_abs_attribution")).doubleValue())).toList())));
            });
            permutation(sb, (Map<String, Object>) x.get("permutation"));
            if (x.get("per_drug") instanceof Map<?, ?> drugs) {
                sb.append(String.format(Locale.ROOT, "%nTop %s features per drug (mean abs attribution over the drug's explained rows):%n%n| drug | rows "
                        + "| top 3 |%n|---|---:|---|%n", x.get("per_drug_table")));
                drugs.forEach((drug, v) -> {
                    Map<String, Object> d = (Map<String, Object>) v;
                    sb.append(String.format(Locale.ROOT, "| %s | %s | %s |%n", drug, d.get("rows"), String.join(", ",
                            ((List<Map<String, Object>>) d.get("top")).stream().limit(3).map(f -> String.valueOf(f.get("feature"))).toList())));
                });
            }
            return sb.toString();
        }

        @SuppressWarnings("unchecked")
        private static void permutation(StringBuilder sb, Map<String, Object> perm) {
            if (perm == null) {
                return;
            }
            sb.append(String.format(Locale.ROOT, "%nPermutation importance (test %s lost when shuffled across the test rows, mean ± sd over %s "
                    + "repeats; reference %.3f):%n%n| shuffled | score drop |%n|---|---:|%n", String.valueOf(perm.get("metric")).toUpperCase(Locale.ROOT),
                    perm.get("repeats"), ((Number) perm.get("reference")).doubleValue()));
            ((Map<String, Object>) perm.get("tables")).forEach((name, v) -> sb.append(String.format(Locale.ROOT, "| table %s | %.3f ± %.3f |%n", name,
                    ((Number) ((Map<String, Object>) v).get("score_drop_mean")).doubleValue(),
                    ((Number) ((Map<String, Object>) v).get("score_drop_sd")).doubleValue())));
            for (Map<String, Object> f : (List<Map<String, Object>>) perm.get("features")) {
                sb.append(String.format(Locale.ROOT, "| %s: %s | %.4f ± %.4f |%n", f.get("table"), f.get("feature"),
                        ((Number) f.get("score_drop_mean")).doubleValue(), ((Number) f.get("score_drop_sd")).doubleValue()));
            }
        }

        @Override
        public List<Chart> charts() {
            return List.of(new Chart("importance.png", "Global importance: mean |attribution| of the 15 most important features over the explained test rows",
                    Charts.importance(summary)));
        }
    }

    @Override
    public String key() {
        return "explain";
    }

    @Override
    public String configKey() {
        return "evaluation.explain";
    }

    @Override
    public Request requested(ExperimentConfig config) {
        return config.evaluation().explain() != null ? Request.EXPLICIT : Request.OFF;
    }

    @Override
    public Set<RunShape> shapes() {
        return EnumSet.of(RunShape.SINGLE_SPLIT);
    }

    @Override
    public Set<Need> needs() {
        return EnumSet.of(Need.TEST_ROWS);
    }

    @Override
    public AnalysisResult run(AnalysisContext c) {
        c.status().accept("explaining the test predictions (" + c.config().evaluation().explain().method().replace('_', ' ') + ") ...");
        FoldOutcome o = c.first();
        RunExplainer.Result explained = new RunExplainer(c.config().evaluation().explain()).explain(o.net(), o.prepared(), o.transforms(), o.testRows(),
                c.config().seed());
        c.run().writeText("explanations.csv", RunFiles.explanationsCsv(explained.rows()));
        return new Result(explained.summary());
    }
}
