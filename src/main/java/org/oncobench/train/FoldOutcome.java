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
 * mean-effects predictions behind the normalised metrics (null where undefined), evaluation, and the external study's;
 * {@code residual} is the naive predictor the network's predictions add back (null: the network learned the response);
 * with {@code model.ensemble}, {@code net} is member 0 and {@code others} members 1..K-1 ({@code predicted} is their mean).
 */
public record FoldOutcome(Fold fold, ComputationGraph net, FittedTransforms transforms, Cohort prepared, int[] testRows,
                          double[] predicted, Map<String, double[]> baselinePredictions, double[] meanEffects, BaselineSet baselines,
                          List<EpochRecord> history,
                          TrainingState training, EvaluationReport report, double trainSeconds, External external,
                          org.oncobench.eval.ResidualTarget residual, List<ComputationGraph> others) {

    public FoldOutcome {
        others = others == null ? List.of() : List.copyOf(others);
    }

    /** Every member in order: {@code net}, then {@code others}. */
    public List<ComputationGraph> members() {
        return BatchPredictor.members(net, others);
    }

    public FoldOutcome(Fold fold, ComputationGraph net, FittedTransforms transforms, Cohort prepared, int[] testRows,
                       double[] predicted, Map<String, double[]> baselinePredictions, double[] meanEffects, BaselineSet baselines,
                       List<EpochRecord> history, TrainingState training, EvaluationReport report, double trainSeconds, External external) {
        this(fold, net, transforms, prepared, testRows, predicted, baselinePredictions, meanEffects, baselines, history, training, report,
                trainSeconds, external, null, List.of());
    }

    /** The rows of an external study (cross-study evaluation), their predictions and evaluation; null without one. */
    public record External(int[] rows, double[] predicted, Map<String, double[]> baselinePredictions, EvaluationReport report) {
    }
}
