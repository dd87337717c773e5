package org.oncobench.train;

import org.oncobench.eval.EvaluationReport;
import org.oncobench.eval.Significance;

import java.nio.file.Path;
import java.util.List;

/**
 * What a finished run produced: where it lives, its evaluation (for k-fold: on the pooled out-of-fold predictions),
 * each fold's evaluation, the first fold's training history, how long each stage took, baselines that could not be fitted, notes for the reader (how labels became classes, warnings),
 * the bootstrap intervals and paired tests (null when {@code evaluation.bootstrap} is 0), the randomisation tests and the
 * learning curve and the external study's scores (null unless configured).
 */
public record RunResult(String runId, Path dir, EvaluationReport report, List<EvaluationReport> folds, List<EpochRecord> history,
                        int trainRows, int validationRows, int testRows, double loadSeconds, double trainSeconds, double totalSeconds,
                        java.util.Map<String, String> baselinesSkipped, List<String> notes, Significance significance,
                        RandomizationTests.Result randomization, LearningCurve.Result learningCurve, CrossStudy crossStudy) {
}
