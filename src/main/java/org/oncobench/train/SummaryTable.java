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
        if (noTest) { // split.test: 0 with an external study: that study is the test
            sb.append(String.format(Locale.ROOT, "%nNo within-study test rows (split.test: 0; %d train / %d validation rows): the external study "
                    + "below is the test%n", r.trainRows(), r.validationRows()));
        } else if (kfold) {
            sb.append(String.format(Locale.ROOT, "%n%s split, %d folds x %d repeats (grouped by %s); target %s; mean ± sd across folds%n",
                    config.split().kind(), config.split().folds(), config.split().repeats(), config.split().group(), config.data().rows().target()));
            Map<String, Object> summary = FoldSummary.of(r.folds());
            summaryTable(sb, config, metrics, summary);
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
            header(sb, metrics, 9, report.perDrug() == null ? null : report.perDrug().metricName());
            line(sb, "model (" + config.model().kind() + ")", metrics, (Map<?, ?>) maps.get("test"), report.perDrug());
            Map<?, ?> baselineMaps = (Map<?, ?>) maps.get("baselines");
            for (Map.Entry<String, Scores> e : report.baselines().entrySet()) {
                line(sb, e.getKey(), metrics, (Map<?, ?>) baselineMaps.get(e.getKey()), report.perDrugBaselines().get(e.getKey()));
            }
        }
        r.baselinesSkipped().forEach((name, why) -> sb.append(String.format(Locale.ROOT, "  %-22s skipped: %s%n", name, why)));
        String best = noTest ? null : report.bestBaseline();
        if (r.significance() != null) {
            intervals(sb, config, r.significance(), classification);
        }
        Verdict verdict = noTest ? null : Verdict.of(report, r.significance());
        if (verdict != null) {
            sb.append("  ").append(verdict.text()).append(kfold ? " (pooled out-of-fold predictions)" : "").append('\n');
            if (verdict.difference() != 0 && !(verdict.higherIsBetter() ? verdict.difference() > 0 : verdict.difference() < 0)) {
                sb.append("  WARNING: the best baseline scores better than the model.\n");
            }
        }
        if (r.crossStudy() != null) {
            crossStudy(sb, config, r, classification);
        }
        if (r.randomization() != null) {
            sb.append(r.randomization().render());
        }
        if (r.learningCurve() != null) {
            sb.append(r.learningCurve().render());
        }
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
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%nRun group %s: %d runs, seeds %s; target %s; mean ± sd across seeds%n", group, runs.size(),
                seeds, config.data().rows().target()));
        summaryTable(sb, config, metrics, summary);
        runs.forEach(r -> sb.append("  run ").append(r.runId()).append('\n'));
        return sb.toString();
    }

    /** Within-study and external scores side by side, each with its interval where there is one. */
    private static void crossStudy(StringBuilder sb, ExperimentConfig config, RunResult r, boolean classification) {
        CrossStudy x = r.crossStudy();
        String headline = classification ? "auc" : "rmse";
        String second = classification ? "brier" : "pearson";
        sb.append(String.format(Locale.ROOT, "%nCross-study: trained on the primary study, scored on %s: %s of its %d rows (%d dropped by the "
                + "split's rule); %s%n", x.name(), x.report().test().toMap().get("n"), x.study().rows(), x.droppedRows(),
                x.study().sharedColumns().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()[0] + " of " + e.getValue()[1]
                        + " features shared").collect(java.util.stream.Collectors.joining(", "))));
        String h = headline.toUpperCase(Locale.ROOT);
        String s = Character.toUpperCase(second.charAt(0)) + second.substring(1);
        sb.append(String.format(Locale.ROOT, "  %-22s %-22s %-22s %-22s %-22s%n", "predictor", "within " + h, x.name() + " " + h, "within " + s,
                x.name() + " " + s));
        List<String> names = new ArrayList<>();
        names.add(Significance.MODEL);
        names.addAll(x.report().baselines().keySet());
        for (String name : names) {
            Scores within = name.equals(Significance.MODEL) ? r.report().test() : r.report().baselines().get(name);
            Scores outside = name.equals(Significance.MODEL) ? x.report().test() : x.report().baselines().get(name);
            sb.append(String.format(Locale.ROOT, "  %-22s %-22s %-22s %-22s %-22s%n",
                    name.equals(Significance.MODEL) ? "model (" + config.model().kind() + ")" : name,
                    cell(r.significance(), name, headline, within), cell(x.significance(), name, headline, outside),
                    cell(r.significance(), name, second, within), cell(x.significance(), name, second, outside)));
        }
    }

    private static String cell(Significance sig, String predictor, String metric, Scores scores) {
        Significance.Interval i = sig == null ? null : sig.intervals().getOrDefault(predictor, Map.of()).get(metric);
        if (i != null && Double.isFinite(i.estimate())) {
            return interval(i);
        }
        return scores == null ? "-" : f(scores.toMap().get(metric));
    }

    /** Mean ± sd of every metric (a FoldSummary) for the model and each baseline, a line each. */
    private static void summaryTable(StringBuilder sb, ExperimentConfig config, List<String> metrics, Map<String, Object> summary) {
        header(sb, metrics, 15, null);
        summaryLine(sb, "model (" + config.model().kind() + ")", metrics, (Map<?, ?>) summary.get("model"));
        Map<?, ?> base = (Map<?, ?>) summary.get("baselines");
        for (Map.Entry<?, ?> e : base.entrySet()) {
            summaryLine(sb, e.getKey().toString(), metrics, (Map<?, ?>) e.getValue());
        }
    }

    /** Each predictor's headline metrics with their 95% intervals, the model's difference from it, and the paired test over drugs. */
    private static void intervals(StringBuilder sb, ExperimentConfig config, Significance sig, boolean classification) {
        String headline = classification ? "auc" : "rmse";
        String second = classification ? "brier" : "pearson";
        sb.append(String.format(Locale.ROOT, "%n95%% intervals: bootstrap over %d %s, %d resamples%n", sig.units(), sig.unit(), sig.resamples()));
        sb.append(String.format(Locale.ROOT, "  %-22s %-22s %-22s %-26s %s%n", "predictor", headline.toUpperCase(Locale.ROOT),
                Character.toUpperCase(second.charAt(0)) + second.substring(1), "model - predictor " + headline.toUpperCase(Locale.ROOT),
                sig.perDrug().isEmpty() ? "" : "per-drug Wilcoxon p (Holm)"));
        for (Map.Entry<String, Map<String, Significance.Interval>> e : sig.intervals().entrySet()) {
            String name = e.getKey().equals(Significance.MODEL) ? "model (" + config.model().kind() + ")" : e.getKey();
            Map<String, Significance.Interval> diff = sig.differences().get(e.getKey());
            Significance.PairedTest test = sig.perDrug().get(e.getKey());
            sb.append(String.format(Locale.ROOT, "  %-22s %-22s %-22s %-26s %s%n", name, interval(e.getValue().get(headline)),
                    interval(e.getValue().get(second)), diff == null ? "" : interval(diff.get(headline)),
                    test == null ? "" : String.format(Locale.ROOT, "%.3g (%.3g)", test.p(), test.holmP())));
        }
        if (sig.caveat() != null) {
            sb.append("  note: ").append(sig.caveat()).append('\n');
        }
    }

    private static String interval(Significance.Interval i) {
        return i == null || !Double.isFinite(i.estimate()) ? "-" : Double.isFinite(i.low()) ? i.format() : f(i.estimate()) + " [-]";
    }

    private static void header(StringBuilder sb, List<String> metrics, int width, String perDrugMetric) {
        sb.append(String.format(Locale.ROOT, "  %-22s", "predictor"));
        for (String m : metrics) {
            sb.append(String.format(Locale.ROOT, " %" + width + "s", m.equals("r2") ? "R²" : m.equals(BEYOND) ? "beyond ME"
                    : m.toUpperCase(Locale.ROOT).length() <= 4 ? m.toUpperCase(Locale.ROOT) : Character.toUpperCase(m.charAt(0)) + m.substring(1)));
        }
        sb.append(perDrugMetric == null ? "" : "   per-drug " + (perDrugMetric.equals("auc") ? "AUC" : "Pearson") + " mean / median").append('\n');
    }

    private static void line(StringBuilder sb, String name, List<String> metrics, Map<?, ?> values, GroupedMetrics perDrug) {
        sb.append(String.format(Locale.ROOT, "  %-22s", name));
        for (String m : metrics) {
            sb.append(String.format(Locale.ROOT, " %9s", f(values.get(m))));
        }
        if (perDrug != null) {
            sb.append("   ").append(Double.isFinite(perDrug.mean())
                    ? String.format(Locale.ROOT, "%.3f / %.3f", perDrug.mean(), perDrug.median()) : "-");
        }
        sb.append('\n');
    }

    private static void summaryLine(StringBuilder sb, String name, List<String> metrics, Map<?, ?> summary) {
        sb.append(String.format(Locale.ROOT, "  %-22s", name));
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
