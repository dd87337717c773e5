package org.oncobench.model;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.oncobench.config.ExperimentConfig.ConvConfig;
import org.oncobench.config.ExperimentConfig.ModelConfig;
import org.oncobench.config.ExperimentConfig.OptimizerConfig;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** model.kind film and factorization: gradients against finite differences, what the vertices compute, save and reload. */
class PairModelsTest {
    static final int OMICS = 7;
    static final int BITS = 6;
    static final int ROWS = 5;

    static ModelSpec spec(String kind, boolean classification, boolean lean, String activation, double dropout, boolean batchNorm) {
        return spec(kind, classification, lean, activation, dropout, batchNorm, new OptimizerConfig("sgd", 1.0));
    }

    static ModelSpec spec(String kind, boolean classification, boolean lean, String activation, double dropout, boolean batchNorm,
                          OptimizerConfig o) {
        ModelConfig m = new ModelConfig(kind, List.of(4), dropout, activation, 0.0, batchNorm, "dense", List.of(5),
                new ConvConfig(List.of(4), 3, 2), "mse", null, null, "factorization".equals(kind) ? 3 : null);
        List<InputSpec> inputs = List.of(InputSpec.flat("omics", InputSpec.Kind.OMICS, OMICS), InputSpec.flat("fingerprints", InputSpec.Kind.DRUG, BITS));
        return new ModelSpec(m, o, inputs, 11, classification ? new double[]{1.0, 1.0} : null, new Speedups(lean, false, false));
    }

    static INDArray[] features(DataType type) {
        Random r = new Random(5);
        double[][] omics = new double[ROWS][OMICS];
        double[][] bits = new double[ROWS][BITS];
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < OMICS; j++) {
                omics[i][j] = r.nextGaussian();
            }
            for (int j = 0; j < BITS; j++) {
                bits[i][j] = r.nextBoolean() ? 1 : 0;
            }
        }
        return new INDArray[]{Nd4j.create(omics).castTo(type), Nd4j.create(bits).castTo(type)};
    }

    static INDArray labels(boolean classification) {
        Random r = new Random(9);
        double[][] y = new double[ROWS][classification ? 2 : 1];
        for (int i = 0; i < ROWS; i++) {
            if (classification) {
                y[i][r.nextBoolean() ? 1 : 0] = 1;
            } else {
                y[i][0] = r.nextGaussian();
            }
        }
        return Nd4j.create(y);
    }

    @ParameterizedTest
    @CsvSource({"film,false,true", "film,false,false", "film,true,true", "factorization,false,true", "factorization,false,false",
            "factorization,true,true"})
    void gradientsMatchFiniteDifferencesInDoublePrecision(String kind, boolean classification, boolean lean) {
        DataType before = Nd4j.dataType();
        DataType beforeFloat = Nd4j.defaultFloatingPointType();
        boolean ok;
        try {
            // GradientCheckUtil insists on ND4J's default type being double as well; SGD at learning rate 1 is its rule for updaters
            Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
            ComputationGraph net = ModelRegistry.forKind(kind).build(spec(kind, classification, lean, "tanh", 0, false)).convertDataType(DataType.DOUBLE);
            assertEquals(DataType.DOUBLE, net.params().dataType());
            ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net).inputs(features(DataType.DOUBLE))
                    .labels(new INDArray[]{labels(classification)}).epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false));
        } finally {
            Nd4j.setDefaultDataTypes(before, beforeFloat);
        }
        assertTrue(ok, kind + (classification ? " classification" : " regression") + (lean ? " (lean layers)" : " (DL4J's layers)")
                + ": analytic and numerical gradients differ");
    }

    @ParameterizedTest
    @CsvSource({"true", "false"})
    void filmScalesAndShiftsEachUnitByTheDrug(boolean lean) {
        ComputationGraph net = ModelRegistry.forKind("film").build(spec("film", false, lean, "relu", 0, false));
        Map<String, INDArray> a = net.feedForward(features(DataType.FLOAT), false);
        String z = vertex(net, "film_dense");
        String gamma = vertex(net, "film_gamma");
        List<String> inputs = net.getConfiguration().getVertexInputs().get(gamma);
        INDArray gammaOut = a.get(inputs.get(0)).add(1.0);
        assertArrayEquals(gammaOut.dup().reshape(-1).toFloatVector(), a.get(gamma).dup().reshape(-1).toFloatVector(), 0f);
        String scale = vertex(net, "film_scale");
        String shift = vertex(net, "film_shift");
        String beta = net.getConfiguration().getVertexInputs().get(shift).get(1);
        INDArray expected = a.get(z).mul(gammaOut).add(a.get(beta));
        assertEquals(List.of(z, gamma), net.getConfiguration().getVertexInputs().get(scale));
        assertEquals(scale, net.getConfiguration().getVertexInputs().get(shift).get(0));
        // the activation follows the modulation (at inference DL4J's activation layer applies it in place, over the shift's output)
        INDArray act = a.get(vertex(net, "film_act"));
        assertTrue(expected.minNumber().doubleValue() < 0, "nothing for the ReLU to cut");
        assertArrayEquals(org.nd4j.linalg.ops.transforms.Transforms.relu(expected, true).dup().reshape(-1).toFloatVector(),
                act.dup().reshape(-1).toFloatVector(), 1e-6f);
        // the drug's representation changes the sample branch's
        INDArray[] otherDrug = features(DataType.FLOAT);
        otherDrug[1] = otherDrug[1].rsub(1.0);
        INDArray moved = net.feedForward(otherDrug, false).get(vertex(net, "film_act"));
        assertTrue(moved.sub(act).norm2Number().doubleValue() > 1e-3, "the drug does not reach the sample branch");
    }

    @ParameterizedTest
    @CsvSource({"true", "false"})
    void factorizationIsTheDotProductPlusBiases(boolean lean) {
        ComputationGraph net = ModelRegistry.forKind("factorization").build(spec("factorization", false, lean, "relu", 0, false));
        INDArray[] x = features(DataType.FLOAT);
        Map<String, INDArray> a = net.feedForward(x, false);
        String dot = vertex(net, "dot");
        List<String> towers = net.getConfiguration().getVertexInputs().get(dot);
        assertEquals(3, a.get(towers.get(0)).size(1));
        INDArray expectedDot = a.get(towers.get(0)).mul(a.get(towers.get(1))).sum(true, 1);
        assertArrayEquals(expectedDot.dup().reshape(-1).toFloatVector(), a.get(dot).dup().reshape(-1).toFloatVector(), 1e-6f);
        List<String> terms = net.getConfiguration().getVertexInputs().get(net.getConfiguration().getVertexInputs().get("output").get(0));
        assertEquals(dot, terms.get(0));
        // untrained: output = 1 * dot + 1 * b_c + 1 * b_d + b_0, with b_0 = 0
        assertArrayEquals(new float[]{1, 1, 1}, net.getParam("output_W").dup().reshape(-1).toFloatVector(), 0f);
        INDArray sum = a.get(dot).add(a.get(terms.get(1))).add(a.get(terms.get(2))).add(net.getParam("output_b").getDouble(0));
        assertArrayEquals(sum.dup().reshape(-1).toFloatVector(), net.outputSingle(false, x).dup().reshape(-1).toFloatVector(), 1e-6f);
        assertEquals(0, net.getLayer(terms.get(1)).getParam("W").size(1) - 1);
        assertEquals(null, net.getLayer(terms.get(1)).paramTable().get("b"), "the cell bias has no bias of its own (b_0 is the output's)");
    }

    @ParameterizedTest
    @CsvSource({"film,false", "film,true", "factorization,false", "factorization,true"})
    void configurationAndModelSerializerRoundTripBitIdentically(String kind, boolean classification) throws Exception {
        ComputationGraph net = ModelRegistry.forKind(kind).build(spec(kind, classification, true, "relu", 0.2, true,
                new OptimizerConfig("adam", 0.01)));
        INDArray[] x = features(DataType.FLOAT);
        net.fit(x, new INDArray[]{labels(classification).castTo(DataType.FLOAT)}); // batch-norm statistics, updater state
        ComputationGraphConfiguration conf = net.getConfiguration();
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        ComputationGraph back = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()), true);
        assertEquals(conf.toJson(), back.getConfiguration().toJson());
        assertArrayEquals(net.params().dup().reshape(-1).toFloatVector(), back.params().dup().reshape(-1).toFloatVector(), 0f);
        assertArrayEquals(net.outputSingle(false, x).dup().reshape(-1).toFloatVector(), back.outputSingle(false, x).dup().reshape(-1).toFloatVector(), 0f);
        assertArrayEquals(net.getUpdater().getStateViewArray().dup().reshape(-1).toFloatVector(), back.getUpdater().getStateViewArray().dup().reshape(-1).toFloatVector(), 0f);
    }

    /** The one vertex whose name starts with {@code prefix} (the builders number their vertices). */
    static String vertex(ComputationGraph net, String prefix) {
        List<String> names = net.getConfiguration().getVertices().keySet().stream().filter(n -> n.startsWith(prefix + "_")).toList();
        assertEquals(1, names.size(), prefix + ": " + names);
        return names.get(0);
    }
}
