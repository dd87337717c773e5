package org.oncobench.train;

import org.oncobench.config.ExperimentConfig;
import org.oncobench.eval.Verdict;

import java.util.EnumSet;
import java.util.Set;

/**
 * The run's one answer to "does the model beat the best baseline?" ({@link Verdict}), from the test evaluation and,
 * when significance ran, its interval of the difference: what the console, metrics.json, the report, the run page,
 * the model card and a study's leaderboard all say.
 */
final class VerdictAnalysis implements Analysis {
    record Result(Verdict verdict, boolean kfold) implements AnalysisResult {
        @Override
        public Object json() {
            return verdict.toMap();
        }

        @Override
        public String console() {
            StringBuilder sb = new StringBuilder("  ").append(verdict.text()).append(kfold ? " (pooled out-of-fold predictions)" : "").append('\n');
            if (verdict.difference() != 0 && !(verdict.higherIsBetter() ? verdict.difference() > 0 : verdict.difference() < 0)) {
                sb.append("  WARNING: the best baseline scores better than the model.\n");
            }
            return sb.toString();
        }

        @Override
        public String summaryLine() {
            String text = verdict.text();
            return "\n**Verdict:** " + Character.toUpperCase(text.charAt(0)) + text.substring(1) + ".\n";
        }
    }

    @Override
    public String key() {
        return "verdict";
    }

    @Override
    public String configKey() {
        return "evaluation.baselines";
    }

    @Override
    public Request requested(ExperimentConfig config) {
        return Request.DEFAULT;
    }

    @Override
    public Set<Need> needs() {
        return EnumSet.of(Need.TEST_ROWS);
    }

    @Override
    public AnalysisResult run(AnalysisContext c) {
        SignificanceAnalysis.Result significance = c.earlier(SignificanceAnalysis.KEY, SignificanceAnalysis.Result.class);
        Verdict v = Verdict.of(c.report(), significance == null ? null : significance.significance());
        return v == null ? null : new Result(v, !c.single());
    }
}
