package org.oncobench.explain;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.oncobench.data.Cohort;
import org.oncobench.data.FittedTransforms;
import org.oncobench.data.GatheringIterator;
import org.oncobench.model.ModelRegistry;
import org.oncobench.model.ModelZooFixtures;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class McDropoutTest {
    /** A trained MLP with batch normalisation and dropout (ModelZooTest's fixture), two epochs on its cohort. */
    static ComputationGraph trainedWithBatchNorm(Cohort c) {
        int[] rows = IntStream.range(0, c.size()).toArray();
        FittedTransforms t = new FittedTransforms(List.of(), 0f, 1f, false, Double.NaN);
        ComputationGraph net = ModelRegistry.forKind("mlp").build(ModelZooFixtures.spec("mlp", "dense", false, "adam", "mse"));
        GatheringIterator train = new GatheringIterator(c, rows, 32, t, 1, true);
        for (int epoch = 1; epoch <= 2; epoch++) {
            train.startEpoch(epoch);
            net.fit(train);
        }
        return net;
    }

    /**
     * A served interval must not depend on the other instances of a request: one row scored alone gets exactly the passes
     * it gets inside a 100-row batch. Two things broke this before: batch normalisation ran on the batch's statistics
     * (one row: zero variance), and dropout masks came from one generator for the whole batch. Equal up to float32
     * rounding: BLAS sums a 100-row product in another order than a 1-row one (the point prediction differs as much).
     */
    @Test
    void aRowAloneGetsTheSamePassesAsInsideAHundredRowBatch() {
        Cohort c = ModelZooFixtures.cohort(false);
        ComputationGraph net = trainedWithBatchNorm(c);
        int[] rows = IntStream.range(0, 100).toArray();
        INDArray[] batch = GatheringIterator.gatherFeatures(c, rows, 0, 100);
        INDArray[] alone = GatheringIterator.gatherFeatures(c, new int[]{37}, 0, 1);
        McDropout sampler = new McDropout(net, 11);
        double[][] inBatch = sampler.passes(batch, 20, 0);
        double[][] single = sampler.passes(alone, 20, 0);
        double mean = 0;
        for (int s = 0; s < 20; s++) {
            assertEquals(inBatch[s][37], single[s][0], 1e-6 * Math.max(1, Math.abs(single[s][0])), "pass " + s);
            mean += single[s][0] / 20;
        }
        assertTrue(java.util.Arrays.stream(single).mapToDouble(p -> p[0]).distinct().count() > 5, "dropout samples: passes differ");
        // dropout's passes centre on the inference output (batch normalisation at its running statistics)
        double inference = net.outputSingle(false, alone).getDouble(0, 0);
        assertEquals(inference, mean, 0.25 * Math.max(1, Math.abs(inference)));
        // the same sampler, called again, and a new one with the same seed, repeat themselves; another seed does not
        assertEquals(single[3][0], sampler.passes(alone, 20, 0)[3][0], 0.0);
        assertEquals(single[3][0], new McDropout(net, 11).passes(alone, 20, 0)[3][0], 0.0);
        double[][] other = new McDropout(net, 12).passes(alone, 20, 0);
        assertNotEquals(java.util.Arrays.deepToString(single), java.util.Arrays.deepToString(other), "another seed, other masks");
    }

    @Test
    void aNetworkWithoutDropoutIsRefused() {
        org.oncobench.model.ModelSpec spec = ModelZooFixtures.spec("mlp", "dense", false, "adam", "mse");
        org.oncobench.config.ExperimentConfig.ModelConfig m = spec.model();
        org.oncobench.model.ModelSpec noDropout = new org.oncobench.model.ModelSpec(new org.oncobench.config.ExperimentConfig.ModelConfig(m.kind(),
                m.hidden(), 0, m.activation(), m.l2(), m.batchNorm(), m.branch(), m.branchHidden(), m.conv(), m.loss()), spec.optimizer(), spec.inputs(),
                spec.seed(), null);
        ComputationGraph net = ModelRegistry.forKind("mlp").build(noDropout);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new McDropout(net, 1));
        assertTrue(e.getMessage().contains("needs dropout"), e.getMessage());
    }
}
