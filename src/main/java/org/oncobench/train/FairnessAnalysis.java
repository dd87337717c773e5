package org.oncobench.train;

import org.oncobench.config.ExperimentConfig;
import org.oncobench.eval.Fairness;
import org.oncobench.eval.Formats;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * For whom the model works worse: the test metric per group of every data.groups column, the worst-best gap with its
 * interval and a permutation test ({@link Fairness}). Runs whenever the data has groups.
 */
final class FairnessAnalysis implements Analysis {
    record Result(Map<String, Object> byColumn) implements AnalysisResult {
        @Override
        public Object json() {
            return byColumn;
        }

        @Override
        @SuppressWarnings("unchecked")
        public String section() {
            StringBuilder sb = new StringBuilder();
            Map<String, Object> f = byColumn;
            sb.append("\n## For whom the model works worse\n\n");
            f.forEach((column, v) -> {
                Map<String, Object> c = (Map<String, Object>) v;
                String metric = String.valueOf(c.get("metric"));
                Map<String, Object> d = (Map<String, Object>) c.get("disparity");
                if (d == null) {
                    sb.append(String.format(Locale.ROOT, "By %s: %s.%n", column, c.get("note")));
                } else {
                    List<?> iv = (List<?>) d.get("gap_interval");
                    sb.append(String.format(Locale.ROOT, "By %s: worst %s (%s %.3f), best %s (%.3f); gap (worst - best) %.3f [95%% bootstrap %s, %s], ratio %.2f; "
                                    + "permutation p = %.3f: %s.%n", column, d.get("worst"), metric.toUpperCase(Locale.ROOT),
                            ((Number) d.get("worst_" + metric)).doubleValue(), d.get("best"), ((Number) d.get("best_" + metric)).doubleValue(),
                            ((Number) d.get("gap")).doubleValue(), Formats.report(iv.get(0)), Formats.report(iv.get(1)),
                            ((Number) d.get("ratio")).doubleValue(), ((Number) d.get("permutation_p")).doubleValue(),
                            Boolean.TRUE.equals(d.get("larger_than_chance")) ? "larger than chance" : "within what chance gives"));
                }
                List<?> small = (List<?>) c.get("too_small_to_score");
                if (!small.isEmpty()) {
                    sb.append(String.format(Locale.ROOT, "Too small to score (%s): %s.%n", c.get("minimum"), String.join(", ", small.stream().map(String::valueOf).toList())));
                }
                sb.append(String.format(Locale.ROOT, "%n| %s | rows | samples | %s |%n|---|---:|---:|---:|%n", column, metric));
                for (Map<String, Object> g : (List<Map<String, Object>>) c.get("groups")) {
                    boolean flagged = Fairness.flagsWorst(d, g);
                    sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", flagged ? "**" + g.get("group") + "** (worse than chance)" : g.get("group"),
                            g.get("rows"), g.get("samples"),
                            g.get(metric) instanceof Number n ? String.format(Locale.ROOT, "%.3f", n.doubleValue()) : "too small"));
                }
                sb.append('\n');
            });
            return sb.toString();
        }
    }

    @Override
    public String key() {
        return "fairness";
    }

    @Override
    public String configKey() {
        return "data.groups";
    }

    @Override
    public Request requested(ExperimentConfig config) {
        return config.data().groups().isEmpty() ? Request.OFF : Request.DEFAULT;
    }

    @Override
    public Set<Need> needs() {
        return EnumSet.of(Need.TEST_ROWS, Need.GROUPS);
    }

    @Override
    public AnalysisResult run(AnalysisContext c) {
        return new Result(Fairness.of(c.cohort(), c.pooled().rows(), c.pooled().predicted(), c.classification(), c.config().seed()));
    }
}
