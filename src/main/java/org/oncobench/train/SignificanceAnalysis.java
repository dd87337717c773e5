package org.oncobench.train;

import org.oncobench.config.ExperimentConfig;
import org.oncobench.data.Cohort;
import org.oncobench.eval.EvaluationReport;
import org.oncobench.eval.Formats;
import org.oncobench.eval.Significance;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Bootstrap intervals and paired tests on the (pooled) test predictions ({@code evaluation.bootstrap} resamples),
 * resampling the unit the split holds out ({@link SplitUnit}): drugs for a drug-blind split, rows for a mixed one, the
 * groups of a group-blind split, otherwise the samples.
 */
final class SignificanceAnalysis implements Analysis {
    static final String KEY = "significance";

    /** The intervals, with what the console and the report need to label them. */
    record Result(Significance significance, String modelKind, boolean classification) implements AnalysisResult {
        @Override
        public Object json() {
            return significance.toMap();
        }

        /** Each predictor's headline metrics with their 95% intervals, the model's difference from it, and the paired test over drugs. */
        @Override
        public String console() {
            Significance sig = significance;
            String headline = classification ? "auc" : "rmse";
            String second = classification ? "brier" : "pearson";
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%n95%% intervals: bootstrap over %d %s, %d resamples%n", sig.units(),
                    sig.unit(), sig.resamples()));
            List<String> names = new ArrayList<>();
            sig.intervals().keySet().forEach(k -> names.add(k.equals(Significance.MODEL) ? "model (" + modelKind + ")" : k));
            int width = NameColumn.width(names);
            sb.append(NameColumn.cell("predictor", width)).append(String.format(Locale.ROOT, " %-22s %-22s %-26s %s%n", headline.toUpperCase(Locale.ROOT),
                    Character.toUpperCase(second.charAt(0)) + second.substring(1), "model - predictor " + headline.toUpperCase(Locale.ROOT),
                    sig.perDrug().isEmpty() ? "" : "per-drug Wilcoxon p (Holm)"));
            for (Map.Entry<String, Map<String, Significance.Interval>> e : sig.intervals().entrySet()) {
                String name = e.getKey().equals(Significance.MODEL) ? "model (" + modelKind + ")" : e.getKey();
                Map<String, Significance.Interval> diff = sig.differences().get(e.getKey());
                Significance.PairedTest test = sig.perDrug().get(e.getKey());
                sb.append(NameColumn.cell(name, width)).append(String.format(Locale.ROOT, " %-22s %-22s %-26s %s%n", Formats.interval(e.getValue().get(headline)),
                        Formats.interval(e.getValue().get(second)), diff == null ? "" : Formats.interval(diff.get(headline)),
                        test == null ? "" : String.format(Locale.ROOT, "%.3g (%.3g)", test.p(), test.holmP())));
            }
            if (sig.caveat() != null) {
                sb.append("  note: ").append(sig.caveat()).append('\n');
            }
            return sb.toString();
        }

        @Override
        public String section() {
            Significance sig = significance;
            String headline = classification ? "auc" : "rmse";
            List<String> metrics = new ArrayList<>(sig.intervals().get(Significance.MODEL).keySet());
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%n## 95%% intervals and significance%n%nBootstrap percentile intervals "
                    + "over %d %s (%d resamples, seeded); differences are the model minus the predictor on the same resamples.%n%n", sig.units(),
                    sig.unit(), sig.resamples()));
            sb.append("| predictor | ").append(String.join(" | ", metrics)).append(" | model - predictor ").append(headline)
                    .append(" | per-drug Wilcoxon p | Holm p |\n|---|").append("---|".repeat(metrics.size() + 3)).append('\n');
            for (Map.Entry<String, Map<String, Significance.Interval>> e : sig.intervals().entrySet()) {
                sb.append("| ").append(e.getKey());
                for (String m : metrics) {
                    Significance.Interval i = e.getValue().get(m);
                    sb.append(" | ").append(i == null || !Double.isFinite(i.low()) ? Formats.report(i == null ? null : i.estimate()) : i.format());
                }
                Map<String, Significance.Interval> d = sig.differences().get(e.getKey());
                sb.append(" | ").append(d == null ? "" : Double.isFinite(d.get(headline).low()) ? d.get(headline).format() : "-");
                Significance.PairedTest t = sig.perDrug().get(e.getKey());
                sb.append(" | ").append(t == null ? "" : String.format(Locale.ROOT, "%.3g", t.p()))
                        .append(" | ").append(t == null ? "" : String.format(Locale.ROOT, "%.3g", t.holmP())).append(" |\n");
            }
            if (sig.caveat() != null) {
                sb.append("\nNote: ").append(sig.caveat()).append(".\n");
            }
            if (sig.skipped() != null) {
                sb.append("\nPaired test over drugs: ").append(sig.skipped()).append(".\n");
            }
            return sb.toString();
        }
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String configKey() {
        return "evaluation.bootstrap";
    }

    @Override
    public Request requested(ExperimentConfig config) {
        return config.evaluation().bootstrap() > 0 ? Request.DEFAULT : Request.OFF;
    }

    @Override
    public Set<Need> needs() {
        return EnumSet.of(Need.TEST_ROWS);
    }

    @Override
    public AnalysisResult run(AnalysisContext c) {
        SplitUnit splitUnit = SplitUnit.of(c.config(), c.cohort());
        PooledTest pooled = c.pooled();
        Significance s = bootstrap(c.config(), c.cohort(), pooled.rows(), row -> splitUnit.idOf(c.cohort(), row), "test " + splitUnit.plural(),
                pooled.predicted(), pooled.baselines(), c.report(), c.classification()).withCaveat(splitUnit.caveat());
        return new Result(s, c.config().model().kind(), c.classification());
    }

    /** Intervals and paired tests for predictions of some rows, resampling the unit each row belongs to. */
    static Significance bootstrap(ExperimentConfig config, Cohort cohort, int[] rows, IntFunction<String> unitOf, String unitName, double[] predicted,
                                  Map<String, double[]> baselines, EvaluationReport report, boolean classification) {
        String[] unit = new String[rows.length];
        double[] observed = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            unit[i] = unitOf.apply(rows[i]);
            observed[i] = cohort.targets()[rows[i]];
        }
        return Significance.of(observed, predicted, baselines, unit, unitName, classification, report.perDrug(), report.perDrugBaselines(),
                config.evaluation().bootstrap(), config.seed(), config.evaluation().significance().minRowsPerDrug());
    }
}
