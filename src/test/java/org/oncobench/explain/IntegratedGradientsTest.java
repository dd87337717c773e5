package org.oncobench.explain;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.oncobench.data.Cohort;
import org.oncobench.data.FittedTransforms;
import org.oncobench.data.GatheringIterator;
import org.oncobench.model.ModelRegistry;
import org.oncobench.model.ModelZooFixtures;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Input gradients and integrated gradients on every model kind, trained two epochs with dropout and batch
 * normalisation: the explanation copy computes the trained network's inference function; each gradient matches central
 * finite differences; integrated gradients with 64 steps are complete (they sum to f(x) - f(baseline) within 1%).
 */
class IntegratedGradientsTest {

    private static ComputationGraph trained(String kind, String branch, boolean classification, Cohort c) {
        int[] rows = java.util.stream.IntStream.range(0, c.size()).toArray();
        FittedTransforms t = classification ? new FittedTransforms(List.of(), 0f, 1f, true, 0.4) : new FittedTransforms(List.of(), 0f, 1f, false, Double.NaN);
        ComputationGraph net = ModelRegistry.forKind(kind).build(ModelZooFixtures.spec(kind, branch, classification, "adam", "mse"));
        GatheringIterator train = new GatheringIterator(c, rows, 32, t, 1, true);
        for (int epoch = 0; epoch < 2; epoch++) {
            train.reset();
            net.fit(train);
        }
        return net;
    }

    @ParameterizedTest
    @CsvSource({"mlp,dense,false", "twin,dense,false", "twin,conv1d,false", "cnn,dense,false", "multimodal,dense,false", "mlp,dense,true",
            "multimodal,conv1d,true"})
    void gradientsMatchFiniteDifferencesAndAttributionsAreComplete(String kind, String branch, boolean classification) {
        Cohort c = ModelZooFixtures.cohort(classification);
        ComputationGraph net = trained(kind, branch, classification, c);
        int[] rows = {0, 7, 33, 81, 150, 199};
        INDArray[] x = GatheringIterator.gatherFeatures(c, rows, 0, rows.length);
        int column = classification ? 1 : 0;
        InputGradients g = new InputGradients(net, column, DataType.DOUBLE);

        // the explanation copy (no dropout, batch normalisation folded, double precision) is the trained inference function
        INDArray reference = net.outputSingle(false, x).getColumn(column).castTo(DataType.DOUBLE);
        INDArray copy = g.output(x);
        for (int r = 0; r < rows.length; r++) {
            assertEquals(reference.getDouble(r), copy.getDouble(r), 1e-4, kind + " row " + r);
        }

        // d f / d x against central finite differences, three features of every table, every row
        INDArray[] grad = g.gradients(x);
        double h = 1e-4;
        int checked = 0;
        for (int t = 0; t < x.length; t++) {
            long width = x[t].size(1);
            for (long f : new long[]{0, width / 2, width - 1}) {
                INDArray[] plus = copyOf(x);
                INDArray[] minus = copyOf(x);
                plus[t].getColumn(f).addi(h);
                minus[t].getColumn(f).subi(h);
                INDArray fd = g.output(plus).sub(g.output(minus)).div(2 * h);
                for (int r = 0; r < rows.length; r++) {
                    double analytic = grad[t].getDouble(r, f);
                    assertEquals(fd.getDouble(r), analytic, 1e-4 + 1e-3 * Math.abs(analytic),
                            kind + "/" + branch + " table " + t + " feature " + f + " row " + r);
                    checked++;
                }
            }
        }
        assertEquals(x.length * 3 * rows.length, checked);

        // completeness: the attributions of all tables sum to f(x) - f(0); the trapezoidal rule's error comes from the ReLU
        // kinks along the path, which these small networks (16 units, two epochs, batch normalisation) have many of: within
        // 10% (+0.01) at 64 steps, 1% (+0.001) at 1,024
        INDArray[] baselines = IntegratedGradients.zeroBaselines(x);
        IntegratedGradients.Result ig = new IntegratedGradients(g, 64).explain(x, baselines);
        IntegratedGradients.Result fine = new IntegratedGradients(g, 1024).explain(x, baselines);
        double[] sums = ig.sums();
        double[] fineSums = fine.sums();
        for (int r = 0; r < rows.length; r++) {
            double delta = ig.output()[r] - ig.baselineOutput()[r];
            assertEquals(delta, sums[r], 0.10 * Math.abs(delta) + 0.01, kind + "/" + branch + " row " + r + ", 64 steps: f(x) - f(0) = " + delta);
            assertEquals(delta, fineSums[r], 0.01 * Math.abs(delta) + 1e-3, kind + "/" + branch + " row " + r + ", 1024 steps: f(x) - f(0) = " + delta);
            assertEquals(reference.getDouble(r), ig.output()[r], 1e-4);
        }
        // refined where the first 64 steps miss 1%: every row within 1% (the run and the bundle explain this way)
        IntegratedGradients.Result refined = new IntegratedGradients(g, 64).explainComplete(x, baselines, 0.01, 1024);
        double[] refinedSums = refined.sums();
        for (int r = 0; r < rows.length; r++) {
            double delta = refined.output()[r] - refined.baselineOutput()[r];
            assertEquals(delta, refinedSums[r], 0.01 * Math.abs(delta) + 1e-3, kind + "/" + branch + " row " + r + ", refined");
        }
        // and the attributions are not all carried by one table: every table with nonzero inputs gets some
        for (INDArray a : ig.attributions()) {
            assertTrue(a.amaxNumber().doubleValue() > 0, kind + ": a table with no attribution");
        }
    }

    private static INDArray[] copyOf(INDArray[] x) {
        INDArray[] out = new INDArray[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i].castTo(DataType.DOUBLE).dup();
        }
        return out;
    }
}
