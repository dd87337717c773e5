package org.oncobench.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.oncobench.data.Cohort;
import org.oncobench.data.FittedTransforms;
import org.oncobench.data.Fold;
import org.oncobench.eval.BaselineSet;
import org.oncobench.eval.EvaluationReport;

import java.util.List;
import java.util.Map;

/**
 * One fold trained and scored: its network, transforms, test predictions, fitted baselines and their predictions, the
 * mean-effects predictions behind the normalised metrics (null where undefined), evaluation.
 */
public record FoldOutcome(Fold fold, ComputationGraph net, FittedTransforms transforms, Cohort prepared, int[] testRows,
                          double[] predicted, Map<String, double[]> baselinePredictions, double[] meanEffects, BaselineSet baselines,
                          List<EpochRecord> history,
                          TrainingState training, EvaluationReport report, double trainSeconds) {
}
