package org.oncobench.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.oncobench.config.ExperimentConfig.ConvConfig;
import org.oncobench.config.ExperimentConfig.ModelConfig;
import org.oncobench.config.ExperimentConfig.OptimizerConfig;
import org.oncobench.config.ExperimentConfig.ScheduleConfig;
import org.oncobench.data.Cohort;
import org.oncobench.data.FittedTransforms;
import org.oncobench.data.GatheringIterator;
import org.oncobench.model.InputSpec;
import org.oncobench.model.ModelRegistry;
import org.oncobench.model.ModelSpec;
import org.oncobench.model.ModelZooTest;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** training.workers: DL4J's ParallelWrapper trains, averages into the network itself, and repeats bit for bit. */
class DataParallelTest {
    private static ComputationGraph net() {
        ModelConfig m = new ModelConfig("mlp", List.of(32, 16), 0.2, "relu", 1e-4, false, "dense", List.of(16), new ConvConfig(List.of(4), 3, 2), "mse");
        OptimizerConfig o = new OptimizerConfig("adam", 0.01, 0.9, 0, new ScheduleConfig("none", 0.9, 1));
        List<InputSpec> inputs = ModelZooTest.spec("mlp", "dense", false, "adam", "mse").inputs();
        return ModelRegistry.forKind("mlp").build(new ModelSpec(m, o, inputs, 5, null));
    }

    private static float[] train(int workers, Cohort c, int[] rows, FittedTransforms none, int[] batchesSeen) {
        ComputationGraph net = net();
        ProgressListener progress = new ProgressListener(TrainingProgress.QUIET, 4, 10);
        GatheringIterator it = new GatheringIterator(c, rows, 32, none, 5, true);
        for (int epoch = 1; epoch <= 4; epoch++) {
            progress.startEpoch(epoch);
            Nd4j.getRandom().setSeed(77 + epoch);
            it.startEpoch(epoch);
            if (workers > 1) {
                DataParallel.fitEpoch(net, it, workers, 5, epoch, List.of(progress));
            } else {
                net.setListeners(progress);
                net.fit(it);
            }
            assertTrue(Double.isFinite(progress.meanLoss()));
        }
        batchesSeen[0] = it.batchesPerEpoch();
        return net.params().toFloatVector();
    }

    @Test
    void twoWorkersTrainTheNetworkItselfAndRepeatBitForBit() {
        Cohort c = ModelZooTest.cohort(false);
        int[] rows = IntStream.range(0, c.size()).toArray();
        FittedTransforms none = new FittedTransforms(List.of(), 0f, 1f, false, Double.NaN);
        int[] batches = new int[1];
        MultiDataSet all = new GatheringIterator(c, rows, rows.length, none, 1, false).next();
        ComputationGraph fresh = net();
        double before = fresh.score(all);

        float[] a = train(2, c, rows, none, batches);
        float[] b = train(2, c, rows, none, batches);
        assertArrayEquals(a, b, "the same worker count repeats bit for bit");
        float[] single = train(1, c, rows, none, batches);
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - single[i]));
        }
        assertTrue(diff > 1e-4, "two workers average two replicas: not the single-worker trajectory (" + diff + ")");
        ComputationGraph trained = net();
        trained.setParams(Nd4j.create(a));
        double after = trained.score(all);
        assertTrue(after < 0.7 * before, "the averaged network learned: loss " + before + " -> " + after);
        assertEquals(7, batches[0], "200 rows in batches of 32: the last round gives worker 0 a batch alone");
    }
}
