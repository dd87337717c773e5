package org.oncobench.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.oncobench.data.Cohort;
import org.oncobench.data.FittedTransforms;
import org.oncobench.data.GatheringIterator;
import org.oncobench.eval.Calibration;

/**
 * Predicts cohort rows in batches: in the target's own units (regression) or as the positive-class probability at the
 * training prevalence (the network's class-weighted softmax estimates a 50/50 prior; {@link Calibration} corrects it).
 */
public final class BatchPredictor {
    private BatchPredictor() {
    }

    /** As below, with the naive predictions added back when the network learned a residual target ({@code residual} not null). */
    public static double[] predict(ComputationGraph net, Cohort cohort, int[] rows, FittedTransforms transforms, int batchSize,
                                   org.oncobench.eval.ResidualTarget residual) {
        double[] network = predict(net, cohort, rows, transforms, batchSize);
        return residual == null ? network : residual.addBack(network, cohort, rows);
    }

    /**
     * An ensemble's predictions: each member's in the target's units (or its calibrated probability), summed in member
     * order and divided by the count, then the naive part added back once. One member: exactly {@link #predict(ComputationGraph,
     * Cohort, int[], FittedTransforms, int, org.oncobench.eval.ResidualTarget)}.
     */
    public static double[] predict(java.util.List<ComputationGraph> members, Cohort cohort, int[] rows, FittedTransforms transforms, int batchSize,
                                   org.oncobench.eval.ResidualTarget residual) {
        if (members.size() == 1) {
            return predict(members.get(0), cohort, rows, transforms, batchSize, residual);
        }
        double[][] each = new double[members.size()][];
        for (int m = 0; m < each.length; m++) {
            each[m] = predict(members.get(m), cohort, rows, transforms, batchSize);
        }
        double[] mean = org.oncobench.model.EnsembleMean.of(each);
        return residual == null ? mean : residual.addBack(mean, cohort, rows);
    }

    /** {@code first} followed by {@code others}. */
    static java.util.List<ComputationGraph> members(ComputationGraph first, java.util.List<ComputationGraph> others) {
        if (others.isEmpty()) {
            return java.util.List.of(first);
        }
        java.util.List<ComputationGraph> all = new java.util.ArrayList<>(others.size() + 1);
        all.add(first);
        all.addAll(others);
        return all;
    }

    public static double[] predict(ComputationGraph net, Cohort cohort, int[] rows, FittedTransforms transforms, int batchSize) {
        double[] out = new double[rows.length];
        for (int from = 0; from < rows.length; from += batchSize) {
            int to = Math.min(rows.length, from + batchSize);
            INDArray output = net.outputSingle(false, GatheringIterator.gatherFeatures(cohort, rows, from, to));
            for (int i = from; i < to; i++) {
                out[i] = transforms.classification()
                        ? Calibration.toTrainingPrevalence(output.getDouble(i - from, 1), transforms.positiveRate())
                        : transforms.restoreTarget(output.getDouble(i - from, 0));
            }
        }
        return out;
    }
}
