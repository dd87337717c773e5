package org.oncobench.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.oncobench.data.Cohort;
import org.oncobench.data.FittedTransforms;
import org.oncobench.eval.ResidualTarget;

import java.util.List;

/**
 * A network just trained (the best epoch's with early stopping), with the prepared cohort and transforms it was trained
 * on, and the naive predictor its predictions add back when it learned a residual target (null otherwise). With
 * {@code model.ensemble}, {@code net} is member 0 and {@code others} holds members 1..K-1 (empty for one network).
 */
public record TrainedModel(ComputationGraph net, Cohort prepared, FittedTransforms transforms, ResidualTarget residual,
                           List<ComputationGraph> others) {
    public TrainedModel {
        others = others == null ? List.of() : List.copyOf(others);
    }

    public TrainedModel(ComputationGraph net, Cohort prepared, FittedTransforms transforms) {
        this(net, prepared, transforms, null);
    }

    public TrainedModel(ComputationGraph net, Cohort prepared, FittedTransforms transforms, ResidualTarget residual) {
        this(net, prepared, transforms, residual, List.of());
    }

    /** Every member in order: {@code net}, then {@code others}. */
    public List<ComputationGraph> members() {
        return BatchPredictor.members(net, others);
    }

    /** Predictions in the target's units (naive part added back), or positive-class probabilities; an ensemble's mean. */
    public double[] predict(int[] rows, int batchSize) {
        return BatchPredictor.predict(members(), prepared, rows, transforms, batchSize, residual);
    }
}
