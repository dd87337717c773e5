package org.oncobench.export;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A bundle's point predictions: the network on standardised inputs, back in the response's units (or a probability); for
 * model.ensemble the mean of its members' values, summed in member order then divided by their count, as the run computed it.
 */
final class PointPredictor {
    private static final int BATCH = Predictor.BATCH_ROWS;
    private final java.util.List<ComputationGraph> members;
    private final InputSchema schema;

    PointPredictor(ComputationGraph net, InputSchema schema) {
        this(java.util.List.of(net), schema);
    }

    PointPredictor(java.util.List<ComputationGraph> members, InputSchema schema) {
        this.members = java.util.List.copyOf(members);
        this.schema = schema;
    }

    /**
     * Scores {@code n} requests whose inputs come from {@code source}, in batches: standardises each input with the
     * bundle's normaliser, runs the network, restores the target's units. A non-finite output is refused.
     */
    double[] predictRows(int n, Predictor.RowSource source) {
        double[] out = new double[n];
        for (int from = 0; from < n; from += BATCH) {
            int size = Math.min(n, from + BATCH) - from;
            INDArray[] x = schema.standardised(source, from, size);
            double[][] each = new double[members.size()][];
            for (int m = 0; m < each.length; m++) {
                INDArray output = members.get(m).outputSingle(false, x);
                each[m] = new double[size];
                for (int r = 0; r < size; r++) {
                    each[m][r] = schema.classification() ? schema.classProbability(output.getDouble(r, 1)) : schema.restore(output.getDouble(r, 0));
                }
            }
            double[] values = each.length == 1 ? each[0] : org.oncobench.model.EnsembleMean.of(each);
            for (int r = 0; r < size; r++) {
                double value = values[r];
                if (!Double.isFinite(value)) {
                    throw new InputFieldException(from + r, "output", "request " + (from + r) + ": the model's output is " + value
                            + " for these inputs; check that they are on the training data's scale (e.g. log2(TPM+1))");
                }
                out[from + r] = value;
            }
        }
        return out;
    }
}
