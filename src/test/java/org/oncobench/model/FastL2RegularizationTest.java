package org.oncobench.model;

import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.oncobench.config.ExperimentConfig.ConvConfig;
import org.oncobench.config.ExperimentConfig.ModelConfig;
import org.oncobench.data.Cohort;
import org.oncobench.data.FittedTransforms;
import org.oncobench.data.GatheringIterator;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java L2 score equals DL4J's, the gradient is untouched, and the class survives ModelSerializer. */
class FastL2RegularizationTest {
    @TempDir
    Path dir;

    @Test
    void scoresLikeDl4jsOnPlainAndFOrderedViews() {
        Nd4j.getRandom().setSeed(5);
        INDArray flat = Nd4j.randn(DataType.FLOAT, 1, 10_007);
        // a weight matrix as DL4J lays it out: an 'f'-ordered view of a run of the parameter vector
        INDArray w = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(7, 7 + 300 * 31)).reshape('f', 300, 31);
        for (INDArray a : List.of(flat, w, Nd4j.randn(DataType.FLOAT, 3), Nd4j.randn(DataType.DOUBLE, 50, 4))) {
            double dl4j = new L2Regularization(3e-4).score(a, 0, 0);
            double fast = new FastL2Regularization(3e-4).score(a, 0, 0);
            assertTrue(dl4j > 0);
            assertEquals(dl4j, fast, 1e-6 * dl4j, "shape " + java.util.Arrays.toString(a.shape()));
        }
        // odd lengths and chunk edges
        float[] v = new float[9_001];
        double expected = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (i % 7) - 3.5f;
            expected += v[i] * (double) v[i];
        }
        assertEquals(expected, FastL2Regularization.sumOfSquares(java.nio.FloatBuffer.wrap(v), 0, v.length), 1e-9);
        assertEquals(expected - 3.5 * 3.5, FastL2Regularization.sumOfSquares(java.nio.FloatBuffer.wrap(v), 1, v.length - 1), 1e-9);
    }

    private static ComputationGraph net(boolean fastL2) {
        ModelSpec base = ModelZooTest.spec("mlp", "dense", false, "adam", "mse");
        ModelConfig m = new ModelConfig("mlp", List.of(32, 8), 0.1, "relu", 1e-3, false, "dense", List.of(16), new ConvConfig(List.of(4), 3, 2), "mse");
        return ModelRegistry.forKind("mlp").build(new ModelSpec(m, base.optimizer(), base.inputs(), 3, null, new Speedups(true, false, fastL2)));
    }

    @Test
    void trainsExactlyAsDl4jsL2AndReportsTheSameLoss() throws Exception {
        Cohort c = ModelZooTest.cohort(false);
        int[] rows = IntStream.range(0, c.size()).toArray();
        FittedTransforms none = new FittedTransforms(List.of(), 0f, 1f, false, Double.NaN);
        ComputationGraph[] nets = {net(false), net(true)};
        double[][] scores = new double[2][];
        for (int k = 0; k < 2; k++) {
            Nd4j.getRandom().setSeed(9);
            GatheringIterator it = new GatheringIterator(c, rows, 32, none, 5, true);
            List<Double> s = new java.util.ArrayList<>();
            for (int e = 0; e < 3; e++) {
                it.startEpoch(e);
                while (it.hasNext()) {
                    nets[k].fit(it.next());
                    s.add(nets[k].score());
                }
            }
            scores[k] = s.stream().mapToDouble(Double::doubleValue).toArray();
        }
        assertArrayEquals(nets[0].params().toFloatVector(), nets[1].params().toFloatVector(), "the gradient is DL4J's");
        for (int i = 0; i < scores[0].length; i++) {
            assertEquals(scores[0][i], scores[1][i], 1e-6 * Math.abs(scores[0][i]), "loss at step " + i);
        }
        BaseLayer first = (BaseLayer) nets[1].getLayers()[0].conf().getLayer();
        assertInstanceOf(FastL2Regularization.class, first.getRegularization().get(0));
        assertTrue(first.getRegularizationBias() == null || first.getRegularizationBias().isEmpty(), "biases are not regularised, as before");

        Path file = dir.resolve("m.zip");
        ModelSerializer.writeModel(nets[1], file.toFile(), true);
        ComputationGraph loaded = ModelSerializer.restoreComputationGraph(file.toFile(), true);
        BaseLayer reloaded = (BaseLayer) loaded.getLayers()[0].conf().getLayer();
        FastL2Regularization r = assertInstanceOf(FastL2Regularization.class, reloaded.getRegularization().get(0));
        assertEquals(1e-3, r.getL2().valueAt(0, 0), 1e-12);
    }
}
