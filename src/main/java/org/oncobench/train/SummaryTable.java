package org.oncobench.train;

import org.oncobench.config.ExperimentConfig;
import org.oncobench.eval.EvaluationReport;
import org.oncobench.eval.FoldSummary;
import org.oncobench.eval.GroupedMetrics;
import org.oncobench.eval.Scores;
import org.oncobench.eval.Significance;
import org.oncobench.eval.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The table printed at the end of a run (by the CLI, and by a notebook for a run started from a cell): the model beside every baseline on the same test rows; for k-fold, each
 * metric's mean ± sd across folds.
 */
public final class SummaryTable {
    private static final List<String> REGRESSION = List.of("rmse", "pearson", "spearman", "r2");
    private static final List<String> CLASSIFICATION = List.of("auc", "accuracy", "f1", "brier", "ece");
    private static final String BEYOND = "pearson" + org.oncobench.eval.BeyondMeanEffects.SUFFIX;

    private SummaryTable() {
    }

    public static String render(ExperimentConfig config, RunResult r) {
        boolean classification = config.task().isClassification();
        EvaluationReport report = r.report();
        List<String> metrics = new java.util.ArrayList<>(classification ? CLASSIFICATION : REGRESSION);
        if (!report.beyondMeanEffects().isEmpty()) {
            metrics.add(BEYOND);
        }
        Map<String, Object> maps = report.toMap();
        StringBuilder sb = new StringBuilder();
        boolean kfold = r.folds().size() > 1;
        boolean noTest = !kfold && r.testRows() == 0;
        List<String> names = new ArrayList<>(List.of("model (" + config.model().kind() + ")"));
        names.addAll(report.baselines().keySet());
        names.addAll(r.baselinesSkipped().keySet());
        int width = NameColumn.width(names);
        if (noTest) { // split.test: 0 with an external study: that study is the test
            sb.append(String.format(Locale.ROOT, "%nNo within-study test rows (split.test: 0; %d train / %d validation rows): the external study "
                    + "below is the test%n", r.trainRows(), r.validationRows()));
        } else if (kfold) {
            sb.append(String.format(Locale.ROOT, "%n%s split, %d folds x %d %s (grouped by %s); target %s; mean ± sd across folds%n",
                    config.split().kind(), config.split().folds(), config.split().repeats(), config.split().repeats() == 1 ? "repeat" : "repeats",
                    config.split().group(), config.data().rows().target()));
            Map<String, Object> summary = FoldSummary.of(r.folds());
            summaryTable(sb, config, metrics, summary, width);
            for (String m : metrics) {
                Map<?, ?> stat = (Map<?, ?>) ((Map<?, ?>) summary.get("model")).get(m);
                int defined = stat == null ? 0 : ((Number) stat.get("folds")).intValue();
                if (defined < r.folds().size()) {
                    sb.append(String.format(Locale.ROOT, "  note: %s is defined in %d of %d folds (the others %s)%n", m.equals(BEYOND) ? "beyond ME"
                            : m.toUpperCase(Locale.ROOT), defined, r.folds().size(), classification ? "hold a single class or too few rows"
                            : "have too few rows or a constant prediction"));
                }
            }
        } else {
            sb.append(String.format(Locale.ROOT, "%nTest set: %d rows, %s split (%d train / %d validation rows); target %s%n", r.testRows(),
                    config.split().kind(), r.trainRows(), r.validationRows(), config.data().rows().target()));
            header(sb, metrics, 9, report.perDrug() == null ? null : report.perDrug().metricName(), width);
            line(sb, "model (" + config.model().kind() + ")", metrics, (Map<?, ?>) maps.get("test"), report.perDrug(), width);
            Map<?, ?> baselineMaps = (Map<?, ?>) maps.get("baselines");
            for (Map.Entry<String, Scores> e : report.baselines().entrySet()) {
                line(sb, e.getKey(), metrics, (Map<?, ?>) baselineMaps.get(e.getKey()), report.perDrugBaselines().get(e.getKey()), width);
            }
        }
        r.baselinesSkipped().forEach((name, why) -> sb.append(NameColumn.cell(name, width)).append(" skipped: ").append(why).append(String.format("%n")));
        r.analyses().forEach(a -> sb.append(a.console()));
        if (metrics.contains(BEYOND)) {
            sb.append("  beyond ME: Pearson of what is left after DrEval's mean-effects predictor m (overall mean + cell-line and drug effects);\n"
                    + "  not 0 but a constant's score, -corr(y - m, m) (the global_mean row), is the bar: above 0 alone is not \"beats the averages\"\n");
        }
        r.notes().forEach(n -> sb.append("  ").append(n).append('\n'));
        sb.append(String.format(Locale.ROOT, "  time: %.1fs (data %.1fs, training %.1fs)%n", r.totalSeconds(), r.loadSeconds(), r.trainSeconds()));
        sb.append("Run ").append(r.runId()).append(": ").append(r.dir()).append(System.lineSeparator());
        return sb.toString();
    }

    /**
     * A run group's table: every metric's mean ± sd over the runs (one per seed), the model and every baseline, from
     * each run's test evaluation (pooled out-of-fold for k-fold runs).
     */
    public static String renderGroup(ExperimentConfig config, String group, List<Long> seeds, List<RunResult> runs) {
        boolean classification = config.task().isClassification();
        List<String> metrics = classification ? CLASSIFICATION : REGRESSION;
        Map<String, Object> summary = FoldSummary.of(runs.stream().map(RunResult::report).toList());
        List<String> names = new ArrayList<>(List.of("model (" + config.model().kind() + ")"));
        ((Map<?, ?>) summary.get("baselines")).keySet().forEach(k -> names.add(k.toString()));
        int width = NameColumn.width(names);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%nRun group %s: %d runs, seeds %s; target %s; mean ± sd across seeds%n", group, runs.size(),
                seeds, config.data().rows().target()));
        summaryTable(sb, config, metrics, summary, width);
        runs.forEach(r -> sb.append("  run ").append(r.runId()).append('\n'));
        return sb.toString();
    }



    /** Mean ± sd of every metric (a FoldSummary) for the model and each baseline, a line each. */
    private static void summaryTable(StringBuilder sb, ExperimentConfig config, List<String> metrics, Map<String, Object> summary, int width) {
        header(sb, metrics, 15, null, width);
        summaryLine(sb, "model (" + config.model().kind() + ")", metrics, (Map<?, ?>) summary.get("model"), width);
        Map<?, ?> base = (Map<?, ?>) summary.get("baselines");
        for (Map.Entry<?, ?> e : base.entrySet()) {
            summaryLine(sb, e.getKey().toString(), metrics, (Map<?, ?>) e.getValue(), width);
        }
    }



    private static void header(StringBuilder sb, List<String> metrics, int width, String perDrugMetric, int nameWidth) {
        sb.append(NameColumn.cell("predictor", nameWidth));
        for (String m : metrics) {
            sb.append(String.format(Locale.ROOT, " %" + width + "s", m.equals("r2") ? "R²" : m.equals(BEYOND) ? "beyond ME"
                    : m.toUpperCase(Locale.ROOT).length() <= 4 ? m.toUpperCase(Locale.ROOT) : Character.toUpperCase(m.charAt(0)) + m.substring(1)));
        }
        sb.append(perDrugMetric == null ? "" : "   per-drug " + (perDrugMetric.equals("auc") ? "AUC" : "Pearson") + " mean / median").append('\n');
    }

    private static void line(StringBuilder sb, String name, List<String> metrics, Map<?, ?> values, GroupedMetrics perDrug, int nameWidth) {
        sb.append(NameColumn.cell(name, nameWidth));
        for (String m : metrics) {
            sb.append(String.format(Locale.ROOT, " %9s", f(values.get(m))));
        }
        if (perDrug != null) {
            sb.append("   ").append(Double.isFinite(perDrug.mean())
                    ? String.format(Locale.ROOT, "%.3f / %.3f", perDrug.mean(), perDrug.median()) : "-");
        }
        sb.append('\n');
    }

    private static void summaryLine(StringBuilder sb, String name, List<String> metrics, Map<?, ?> summary, int nameWidth) {
        sb.append(NameColumn.cell(name, nameWidth));
        List<String> cells = new ArrayList<>();
        for (String m : metrics) {
            Map<?, ?> stat = (Map<?, ?>) summary.get(m);
            cells.add(stat == null || stat.get("mean") == null ? "-" : f(stat.get("mean")) + " ± " + (stat.get("sd") == null ? "-" : f(stat.get("sd"))));
        }
        for (String c : cells) {
            sb.append(String.format(Locale.ROOT, " %15s", c));
        }
        sb.append('\n');
    }

    private static String f(Object v) {
        return v instanceof Number n && Double.isFinite(n.doubleValue()) ? String.format(Locale.ROOT, "%.3f", n.doubleValue()) : "-";
    }
}
