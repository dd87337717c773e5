package org.oncobench.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FastAdam trains to the parameters DL4J's own Adam reaches (max abs difference < 1e-5 after 40 steps) and survives saving. */
class FastAdamTest {
    @TempDir
    Path dir;

    private static ComputationGraph net(IUpdater updater) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(11).dataType(DataType.FLOAT).updater(updater).l2(1e-4)
                .graphBuilder().addInputs("x").setInputTypes(InputType.feedForward(30))
                .addLayer("h1", new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build(), "x")
                .addLayer("h2", new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build(), "h1")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(1).activation(Activation.IDENTITY).build(), "h2")
                .setOutputs("out").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    private static MultiDataSet batch(int step) {
        Nd4j.getRandom().setSeed(1000 + step);
        INDArray x = Nd4j.randn(DataType.FLOAT, 32, 30);
        INDArray y = x.getColumns(0, 1, 2).sum(1).reshape(32, 1).add(x.getColumn(3).mul(x.getColumn(4)).reshape(32, 1));
        return new MultiDataSet(x, y);
    }

    private static void train(ComputationGraph net, int from, int steps) {
        for (int s = from; s < from + steps; s++) {
            net.fit(batch(s));
        }
    }

    @Test
    void sameParametersAsDl4jsAdamWithAndWithoutASchedule() {
        for (boolean schedule : new boolean[]{false, true}) {
            ExponentialSchedule lr = new ExponentialSchedule(ScheduleType.ITERATION, 3e-3, 0.97);
            ComputationGraph stock = net(schedule ? new Adam(lr) : new Adam(3e-3));
            ComputationGraph fast = net(schedule ? new FastAdam(lr) : new FastAdam(3e-3));
            assertEquals(0.0, stock.params().sub(fast.params()).amaxNumber().doubleValue(), "same initial parameters");
            train(stock, 0, 40);
            train(fast, 0, 40);
            double diff = stock.params().sub(fast.params()).amaxNumber().doubleValue();
            // libnd4j's float arithmetic step for step: no difference at all (the bound is 1e-5)
            assertEquals(0.0, diff, "max abs difference" + (schedule ? " with a schedule" : ""));
            // the loop, not DL4J's op, updated every block
            for (org.deeplearning4j.nn.updater.UpdaterBlock b : ((org.deeplearning4j.nn.updater.BaseMultiLayerUpdater<?>) fast.getUpdater()).getUpdaterBlocks()) {
                FastAdam.Updater u = assertInstanceOf(FastAdam.Updater.class, b.getGradientUpdater());
                assertTrue(u.fastPath(b.getGradientView()), "block " + b.getParamOffsetStart() + " fell back to DL4J's op");
            }
            double moved = fast.params().sub(net(new Adam(3e-3)).params()).amaxNumber().doubleValue();
            assertTrue(moved > 1e-2, "training moved the parameters: " + moved);
        }
    }

    @Test
    void savedModelsLoadWithTheirUpdaterAndContinueIdentically() throws Exception {
        ComputationGraph fast = net(new FastAdam(3e-3));
        train(fast, 0, 10);
        Path file = dir.resolve("model.zip");
        ModelSerializer.writeModel(fast, file.toFile(), true);
        ComputationGraph loaded = ModelSerializer.restoreComputationGraph(file.toFile(), true);
        assertInstanceOf(FastAdam.class, loaded.getLayer("h1").conf().getLayer().getUpdaterByParam("W"));
        train(fast, 10, 10);
        train(loaded, 10, 10);
        assertEquals(0.0, fast.params().sub(loaded.params()).amaxNumber().doubleValue(), 1e-7);
    }
}
