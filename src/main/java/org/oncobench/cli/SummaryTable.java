package org.oncobench.cli;

import org.oncobench.config.ExperimentConfig;
import org.oncobench.eval.EvaluationReport;
import org.oncobench.eval.GroupedMetrics;
import org.oncobench.eval.RegressionMetrics;
import org.oncobench.train.RunResult;

import java.util.Locale;
import java.util.Map;

/** The table printed at the end of a run: the model beside every baseline on the same test rows. */
final class SummaryTable {
    private SummaryTable() {
    }

    static String render(ExperimentConfig config, RunResult r) {
        EvaluationReport report = r.report();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%nTest set: %d rows, %s split (%d train / %d validation rows); target %s%n", r.testRows(),
                config.split().kind(), r.trainRows(), r.validationRows(), config.data().rows().target()));
        sb.append(String.format(Locale.ROOT, "  %-22s %8s %8s %9s %7s   %s%n", "predictor", "RMSE", "Pearson", "Spearman", "R²",
                "per-drug Pearson mean / median"));
        line(sb, "model (" + config.model().kind() + ")", report.test(), report.perDrug());
        for (Map.Entry<String, RegressionMetrics> e : report.baselines().entrySet()) {
            line(sb, e.getKey(), e.getValue(), report.perDrugBaselines().get(e.getKey()));
        }
        String best = report.bestBaseline();
        if (best != null) {
            double gain = report.baselines().get(best).rmse() - report.test().rmse();
            sb.append(String.format(Locale.ROOT, "  model vs best baseline (%s): RMSE %s by %.3f%n", best, gain > 0 ? "lower" : "HIGHER",
                    Math.abs(gain)));
        }
        sb.append(String.format(Locale.ROOT, "  time: %.1fs (data %.1fs, training %.1fs)%n", r.totalSeconds(), r.loadSeconds(), r.trainSeconds()));
        sb.append("Run ").append(r.runId()).append(": ").append(r.dir()).append(System.lineSeparator());
        return sb.toString();
    }

    private static void line(StringBuilder sb, String name, RegressionMetrics m, GroupedMetrics perDrug) {
        String drug = perDrug == null || !Double.isFinite(perDrug.pearsonMean()) ? "-"
                : String.format(Locale.ROOT, "%.3f / %.3f", perDrug.pearsonMean(), perDrug.pearsonMedian());
        sb.append(String.format(Locale.ROOT, "  %-22s %8s %8s %9s %7s   %s%n", name, f(m.rmse()), f(m.pearson()), f(m.spearman()), f(m.r2()), drug));
    }

    private static String f(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "-";
    }
}
