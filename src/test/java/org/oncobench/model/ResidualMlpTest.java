package org.oncobench.model;

import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.oncobench.config.ExperimentConfig.ConvConfig;
import org.oncobench.config.ExperimentConfig.ModelConfig;
import org.oncobench.config.ExperimentConfig.OptimizerConfig;
import org.oncobench.data.Cohort;
import org.oncobench.data.FittedTransforms;
import org.oncobench.data.GatheringIterator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 28 item 2: the residual MLP ({@code model.kind: resmlp}), {@code model.norm}, {@code model.input_dropout} and
 * {@code model.input_noise}. Each builds the layers it names, trains, changes training, is deterministic and survives
 * ModelSerializer bit for bit.
 */
class ResidualMlpTest {
    /** Options by name: kind, norm, input dropout, input noise, hidden sizes. */
    static ModelConfig model(String option) {
        String kind = option.startsWith("resmlp") ? "resmlp" : "mlp";
        String norm = switch (option) {
            case "resmlp_layer", "mlp_layer" -> "layer";
            case "resmlp_none" -> "none";
            default -> null;
        };
        Double dropout = option.endsWith("dropout") || option.endsWith("both") ? 0.2 : null;
        Double noise = option.endsWith("noise") || option.endsWith("both") ? 0.3 : null;
        return new ModelConfig(kind, List.of(16, 8), 0.1, "relu", 1e-5, false, "dense", List.of(16), new ConvConfig(List.of(4), 3, 2), "mse",
                null, null, norm, dropout, noise);
    }

    static ModelSpec spec(String option) {
        return new ModelSpec(model(option), new OptimizerConfig("adam", 0.01),
                List.of(InputSpec.flat("omics", InputSpec.Kind.OMICS, 12), InputSpec.flat("fingerprints", InputSpec.Kind.DRUG, 16)), 11, null);
    }

    static ComputationGraph build(String option) {
        return ModelRegistry.forKind(model(option).kind()).build(spec(option));
    }

    static ComputationGraph trained(String option) {
        Cohort c = TrainingRecipeTest.cohort();
        int[] rows = java.util.stream.IntStream.range(0, c.size()).toArray();
        FittedTransforms t = new FittedTransforms(List.of(), 0f, 1f, false, Double.NaN);
        ComputationGraph net = build(option);
        GatheringIterator train = new GatheringIterator(c, rows, 32, t, 5, true);
        for (int epoch = 0; epoch < 3; epoch++) {
            train.reset();
            net.fit(train);
        }
        return net;
    }

    static INDArray[] features() {
        Cohort c = TrainingRecipeTest.cohort();
        int[] rows = java.util.stream.IntStream.range(0, c.size()).toArray();
        return GatheringIterator.gatherFeatures(c, rows, 0, rows.length);
    }

    @Test
    void resmlpHasAStemAndOneResidualBlockPerHiddenSizeWithAProjectionWhereTheWidthChanges() {
        ComputationGraph net = build("resmlp");
        Map<String, org.deeplearning4j.nn.conf.graph.GraphVertex> v = net.getConfiguration().getVertices();
        long adds = v.values().stream().filter(x -> x instanceof ElementWiseVertex e && e.getOp() == ElementWiseVertex.Op.Add).count();
        assertEquals(2, adds, "blocks of 16 and 8 units: " + v.keySet());
        long norms = v.values().stream().filter(x -> x instanceof LayerVertex l && l.getLayerConf().getLayer() instanceof BatchNormalization).count();
        assertEquals(3, norms, "resmlp's default norm is batch: after the stem and in each block");
        // the 16 -> 16 block adds its input unchanged; the 16 -> 8 block adds a bias-free projection of it
        long projections = v.entrySet().stream().filter(e -> e.getKey().endsWith("_skip")).count();
        assertEquals(1, projections);
        DenseLayer skip = (DenseLayer) v.entrySet().stream().filter(e -> e.getKey().endsWith("_skip")).map(e -> ((LayerVertex) e.getValue())
                .getLayerConf().getLayer()).findFirst().orElseThrow();
        assertFalse(skip.hasBias());
        assertEquals(8, skip.getNOut());
    }

    @Test
    void eachBlockOutputIsItsBranchPlusItsSkip() {
        ComputationGraph net = trained("resmlp_none");
        Map<String, INDArray> acts = net.feedForward(features(), false);
        Map<String, org.deeplearning4j.nn.conf.graph.GraphVertex> v = net.getConfiguration().getVertices();
        Map<String, List<String>> inputs = net.getConfiguration().getVertexInputs();
        int checked = 0;
        for (String name : v.keySet()) {
            if (v.get(name) instanceof ElementWiseVertex) {
                INDArray sum = acts.get(inputs.get(name).get(0)).add(acts.get(inputs.get(name).get(1)));
                assertArrayEquals(sum.toFloatMatrix(), acts.get(name).toFloatMatrix(), name);
                assertTrue(acts.get(inputs.get(name).get(1)).norm2Number().doubleValue() > 0, name + ": the skip carries signal");
                checked++;
            }
        }
        assertEquals(2, checked);
    }

    @Test
    void layerNormIsDl4jsDenseLayerNormAndBatchNormItsLayer() {
        for (String option : List.of("resmlp_layer", "mlp_layer")) {
            ComputationGraph net = build(option);
            long layerNormed = net.getConfiguration().getVertices().values().stream().filter(x -> x instanceof LayerVertex l
                    && l.getLayerConf().getLayer() instanceof DenseLayer d && d.hasLayerNorm()).count();
            assertEquals(option.startsWith("resmlp") ? 3 : 2, layerNormed, option + ": every hidden dense layer (resmlp: stem and blocks)");
            assertFalse(net.getConfiguration().toJson().contains("BatchNormalization"), option);
        }
        assertFalse(build("mlp").getConfiguration().toJson().contains("BatchNormalization"), "mlp's default stays without norm");
        assertFalse(build("mlp").getConfiguration().toJson().replace(" ", "").contains("\"hasLayerNorm\":true"));
    }

    @Test
    void inputCorruptionIsDl4jsDropoutAndGaussianNoiseOnTheFirstLayerInTrainingOnly() {
        String dropout = build("mlp_dropout").getConfiguration().toJson();
        assertTrue(dropout.contains("org.deeplearning4j.nn.conf.dropout.Dropout"), dropout);
        assertTrue(dropout.replace(" ", "").contains("\"p\":0.8"), "DL4J keeps 1 - input_dropout");
        String noise = build("resmlp_noise").getConfiguration().toJson();
        assertTrue(noise.contains("org.deeplearning4j.nn.conf.dropout.GaussianNoise"), noise);
        assertTrue(noise.replace(" ", "").contains("\"stddev\":0.3"), noise);
        assertFalse(build("mlp").getConfiguration().toJson().contains("GaussianNoise"), "off by default");
        // with one kind of corruption the first layer keeps skipping its input gradient (the lean layer's shortcut)
        ComputationGraph one = build("mlp_noise");
        LeanDenseLayer first = (LeanDenseLayer) ((LayerVertex) one.getConfiguration().getVertices().get("dense_1")).getLayerConf().getLayer();
        assertFalse(first.isInputGradient());
        assertTrue(first.getIDropout() instanceof org.deeplearning4j.nn.conf.dropout.GaussianNoise);
        // both: a DropoutLayer of noise in front, the first dense layer's own IDropout the dropout
        ComputationGraph both = build("mlp_both");
        assertTrue(both.getConfiguration().getVertices().values().stream().anyMatch(x -> x instanceof LayerVertex l
                && l.getLayerConf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.DropoutLayer d
                && d.getIDropout() instanceof org.deeplearning4j.nn.conf.dropout.GaussianNoise));
        // noise and dropout act in training only: inference is a fixed function, training forward passes differ
        INDArray[] x = features();
        for (String option : List.of("mlp_noise", "mlp_dropout", "resmlp_both")) {
            ComputationGraph net = build(option);
            assertArrayEquals(net.outputSingle(false, x).toFloatMatrix(), net.outputSingle(false, x).toFloatMatrix(), option);
            float[][] a = net.feedForward(x, true).get("output").toFloatMatrix();
            float[][] b = net.feedForward(x, true).get("output").toFloatMatrix();
            assertFalse(java.util.Arrays.deepEquals(a, b), option + ": two training passes draw different corruption");
        }
    }

    /**
     * The lean dense layer fed by network inputs skips its input gradient; with layer norm its weight gradient must still
     * go through DL4J's layer-norm backward pass (the gain gets one too): the same gradient as DL4J's own layer.
     */
    @ParameterizedTest
    @ValueSource(strings = {"mlp_layer", "resmlp_layer", "resmlp"})
    void leanLayersGiveDl4jsGradient(String option) {
        Cohort c = TrainingRecipeTest.cohort();
        org.nd4j.linalg.dataset.api.MultiDataSet batch = new GatheringIterator(c, java.util.stream.IntStream.range(0, c.size()).toArray(), c.size(),
                new FittedTransforms(List.of(), 0f, 1f, false, Double.NaN), 5, false).next();
        float[][] gradients = new float[2][];
        for (boolean lean : new boolean[]{true, false}) {
            ModelSpec spec = spec(option).withSpeedups(new Speedups(lean, false, false));
            ComputationGraph net = ModelRegistry.forKind(spec.model().kind()).build(spec);
            net.setInputs(batch.getFeatures());
            net.setLabels(batch.getLabels());
            net.computeGradientAndScore();
            gradients[lean ? 0 : 1] = net.gradient().gradient().toFloatVector();
        }
        assertEquals(gradients[1].length, gradients[0].length);
        for (int i = 0; i < gradients[0].length; i++) {
            assertEquals(gradients[1][i], gradients[0][i], 1e-5f + 1e-4f * Math.abs(gradients[1][i]), option + ": gradient " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"resmlp", "resmlp_layer", "resmlp_none", "resmlp_both", "mlp_layer", "mlp_dropout", "mlp_noise", "mlp_both"})
    void trainsDeterministicallyAndSurvivesModelSerializer(String option) throws IOException {
        Cohort c = TrainingRecipeTest.cohort();
        ComputationGraph fresh = build(option);
        double before = fresh.score(new GatheringIterator(c, java.util.stream.IntStream.range(0, c.size()).toArray(), c.size(),
                new FittedTransforms(List.of(), 0f, 1f, false, Double.NaN), 5, false).next());
        ComputationGraph a = trained(option);
        ComputationGraph b = trained(option);
        assertArrayEquals(a.params().toFloatVector(), b.params().toFloatVector(), option + ": same seed, same weights");
        assertFalse(java.util.Arrays.equals(a.params().toFloatVector(), trained("mlp").params().toFloatVector()), option + " changes training");
        double after = a.score(new GatheringIterator(c, java.util.stream.IntStream.range(0, c.size()).toArray(), c.size(),
                new FittedTransforms(List.of(), 0f, 1f, false, Double.NaN), 5, false).next());
        assertTrue(after < before, option + ": loss " + before + " -> " + after);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(a, bytes, true);
        ComputationGraph back = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()), true);
        assertEquals(a.getConfiguration().toJson(), back.getConfiguration().toJson());
        assertArrayEquals(a.params().toFloatVector(), back.params().toFloatVector());
        INDArray[] x = features();
        assertArrayEquals(a.outputSingle(false, x).toFloatMatrix(), back.outputSingle(false, x).toFloatMatrix(), option + ": same predictions");
        // and training continues identically from the reloaded network (updater state included)
        Cohort cc = TrainingRecipeTest.cohort();
        int[] rows = java.util.stream.IntStream.range(0, cc.size()).toArray();
        FittedTransforms t = new FittedTransforms(List.of(), 0f, 1f, false, Double.NaN);
        assertArrayEquals(a.getUpdater().getStateViewArray().toFloatVector(), back.getUpdater().getStateViewArray().toFloatVector(), "updater state");
        org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(123);
        b.fit(new GatheringIterator(cc, rows, 32, t, 9, true));
        org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(123); // dropout and noise draw from ND4J's generator
        a.fit(new GatheringIterator(cc, rows, 32, t, 9, true));
        org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(123);
        back.fit(new GatheringIterator(cc, rows, 32, t, 9, true));
        assertArrayEquals(a.params().toFloatVector(), b.params().toFloatVector(), option + ": one more epoch, twice");
        assertArrayEquals(a.params().toFloatVector(), back.params().toFloatVector(), option + ": one more epoch after reloading");
    }
}
