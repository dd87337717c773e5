package org.oncobench.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.oncobench.data.Cohort;
import org.oncobench.data.FittedTransforms;
import org.oncobench.eval.ResidualTarget;

/**
 * A network just trained (the best epoch's with early stopping), with the prepared cohort and transforms it was trained
 * on, and the naive predictor its predictions add back when it learned a residual target (null otherwise).
 */
public record TrainedModel(ComputationGraph net, Cohort prepared, FittedTransforms transforms, ResidualTarget residual) {
    public TrainedModel(ComputationGraph net, Cohort prepared, FittedTransforms transforms) {
        this(net, prepared, transforms, null);
    }

    /** Predictions in the target's units (naive part added back), or positive-class probabilities. */
    public double[] predict(int[] rows, int batchSize) {
        return BatchPredictor.predict(net, prepared, rows, transforms, batchSize, residual);
    }
}
