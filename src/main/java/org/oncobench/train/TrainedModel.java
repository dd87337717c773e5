package org.oncobench.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.oncobench.data.Cohort;
import org.oncobench.data.FittedTransforms;

/** A network just trained (the best epoch's with early stopping), with the prepared cohort and transforms it was trained on. */
public record TrainedModel(ComputationGraph net, Cohort prepared, FittedTransforms transforms) {
}
