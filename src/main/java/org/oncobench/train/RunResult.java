package org.oncobench.train;

import org.oncobench.eval.EvaluationReport;

import java.nio.file.Path;
import java.util.List;

/**
 * What a finished run produced: where it lives, its evaluation (for k-fold: on the pooled out-of-fold predictions),
 * each fold's evaluation, the first fold's training history, how long each stage took, baselines that could not be fitted,
 * notes for the reader (how labels became classes, warnings), and the results of the post-training analyses that ran, in
 * their order.
 */
public record RunResult(String runId, Path dir, EvaluationReport report, List<EvaluationReport> folds, List<EpochRecord> history,
                        int trainRows, int validationRows, int testRows, double loadSeconds, double trainSeconds, double totalSeconds,
                        java.util.Map<String, String> baselinesSkipped, List<String> notes, List<AnalysisResult> analyses) {
    public RunResult {
        analyses = List.copyOf(analyses);
    }

    /** The result of an analysis of the given type, or null when it did not run. */
    public <T extends AnalysisResult> T analysis(Class<T> type) {
        return analyses.stream().filter(type::isInstance).map(type::cast).findFirst().orElse(null);
    }
}
