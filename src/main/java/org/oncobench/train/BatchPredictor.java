package org.oncobench.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.oncobench.data.Cohort;
import org.oncobench.data.FittedTransforms;
import org.oncobench.data.GatheringIterator;

/** Predicts cohort rows in batches: in the target's own units (regression) or as the positive-class probability. */
public final class BatchPredictor {
    private BatchPredictor() {
    }

    public static double[] predict(MultiLayerNetwork net, Cohort cohort, int[] rows, FittedTransforms transforms, int batchSize) {
        double[] out = new double[rows.length];
        int width = cohort.inputWidth();
        for (int from = 0; from < rows.length; from += batchSize) {
            int to = Math.min(rows.length, from + batchSize);
            float[] features = GatheringIterator.gatherFeatures(cohort, rows, from, to);
            INDArray output = net.output(Nd4j.create(features, new long[]{to - from, width}, 'c'), false);
            for (int i = from; i < to; i++) {
                out[i] = transforms.classification() ? output.getDouble(i - from, 1) : transforms.restoreTarget(output.getDouble(i - from, 0));
            }
        }
        return out;
    }
}
