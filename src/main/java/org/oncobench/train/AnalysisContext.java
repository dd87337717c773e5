package org.oncobench.train;

import org.oncobench.config.ExperimentConfig;
import org.oncobench.data.Cohort;
import org.oncobench.data.ExternalStudy;
import org.oncobench.data.Fold;
import org.oncobench.eval.EvaluationReport;
import org.oncobench.runs.RunFolder;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * What a trained run offers its analyses: the experiment, the cohort (an external study's rows merged in), the folds and
 * what training each produced, the pooled test predictions and their evaluation, the external study (or null) and how
 * many of its rows the split's rule dropped, the run's folder, progress and status sinks, the results of the analyses
 * that ran before (by key), and the run's pool for fitting baselines (analyses that train again use it too).
 */
public record AnalysisContext(ExperimentConfig config, Cohort cohort, List<Fold> folds, List<FoldOutcome> outcomes, PooledTest pooled,
                              EvaluationReport report, ExternalStudy external, int externalDropped, RunFolder run, TrainingProgress progress,
                              Consumer<String> status, Map<String, AnalysisResult> earlier, Executor baselines) {

    public boolean classification() {
        return config.task().isClassification();
    }

    public boolean single() {
        return outcomes.size() == 1;
    }

    /** The first fold's training (a single split's only one). */
    public FoldOutcome first() {
        return outcomes.get(0);
    }

    /** An earlier analysis's result of the given type, or null when it did not run. */
    public <T extends AnalysisResult> T earlier(String key, Class<T> type) {
        AnalysisResult r = earlier.get(key);
        return type.isInstance(r) ? type.cast(r) : null;
    }
}
