package org.oncobench.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

/**
 * The lean dense layer and merge vertex train to exactly the parameters of DL4J's stock ones (the issue asks for a max
 * abs difference under 1e-5; the ops are the same, so it is 0), take their shortcuts where they should, fall back where
 * they should not, and survive ModelSerializer.
 */
class LeanLayersTest {
    @TempDir
    Path dir;

    private static final Cohort COHORT = ModelZooTest.cohort(false);
    private static final int[] ROWS = IntStream.range(0, COHORT.size()).toArray();
    private static final FittedTransforms NONE = new FittedTransforms(List.of(), 0f, 1f, false, Double.NaN);

    private static ModelSpec spec(String kind, String branch, String activation, boolean batchNorm, double dropout, boolean lean) {
        ModelSpec base = ModelZooTest.spec(kind, branch, false, "adam", "mse");
        ModelConfig m = new ModelConfig(kind, List.of(16, 8), dropout, activation, 1e-4, batchNorm, branch, List.of(16),
                new ConvConfig(List.of(4, 8), 3, 2), "mse");
        return new ModelSpec(m, base.optimizer(), base.inputs(), 3, null, new Speedups(lean, false, false));
    }

    private static void train(ComputationGraph net, int epochs) {
        org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(99); // dropout draws from ND4J's global generator
        GatheringIterator it = new GatheringIterator(COHORT, ROWS, 32, NONE, 5, true);
        for (int e = 0; e < epochs; e++) {
            it.startEpoch(e);
            net.fit(it);
        }
    }

    private static List<LeanDenseLayer.Impl> leanLayers(ComputationGraph net) {
        return java.util.Arrays.stream(net.getLayers()).filter(l -> l instanceof LeanDenseLayer.Impl).map(l -> (LeanDenseLayer.Impl) l).toList();
    }

    @ParameterizedTest
    @CsvSource({"mlp,dense,relu,false,0.2", "mlp,dense,relu,true,0.0", "mlp,dense,tanh,false,0.2", "twin,dense,relu,false,0.3",
            "twin,conv1d,relu,true,0.1", "multimodal,dense,relu,false,0.2", "multimodal,conv1d,relu,false,0.1", "cnn,dense,relu,false,0.2"})
    void trainsToTheStockLayersParameters(String kind, String branch, String activation, boolean batchNorm, double dropout) {
        ComputationGraph stock = ModelRegistry.forKind(kind).build(spec(kind, branch, activation, batchNorm, dropout, false));
        ComputationGraph lean = ModelRegistry.forKind(kind).build(spec(kind, branch, activation, batchNorm, dropout, true));
        assertEquals(stock.numParams(), lean.numParams());
        assertArrayEquals(stock.params().toFloatVector(), lean.params().toFloatVector(), "same initial parameters");
        train(stock, 3);
        train(lean, 3);
        float[] a = stock.params().toFloatVector();
        float[] b = lean.params().toFloatVector();
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        assertEquals(0.0, diff, kind + "/" + branch + "/" + activation + ": the same ops in the same order, so no difference at all (the issue's bound is 1e-5)");
        double moved = 0;
        float[] init = ModelRegistry.forKind(kind).build(spec(kind, branch, activation, batchNorm, dropout, true)).params().toFloatVector();
        for (int i = 0; i < a.length; i++) {
            moved = Math.max(moved, Math.abs(init[i] - b[i]));
        }
        assertTrue(moved > 1e-3, "training moved the parameters: " + moved);

        long pooledInJava = java.util.Arrays.stream(lean.getLayers()).filter(l -> l instanceof LeanSubsamplingLayer.Impl)
                .mapToLong(l -> ((LeanSubsamplingLayer.Impl) l).javaBackward()).sum();
        if ("multimodal".equals(kind) || "cnn".equals(kind)) { // their images' 2 x 2 pooling tiles 6 x 6 exactly
            assertTrue(pooledInJava >= 3 * (int) Math.ceil(ROWS.length / 32.0), "the image pooling ran in Java: " + pooledInJava);
        }
        List<LeanDenseLayer.Impl> layers = leanLayers(lean);
        assertTrue(!layers.isEmpty(), "the lean model uses LeanDenseLayer");
        assertTrue(java.util.Arrays.stream(stock.getLayers()).noneMatch(l -> l instanceof LeanDenseLayer.Impl), "the stock model does not");
        long reused = layers.stream().mapToLong(LeanDenseLayer.Impl::reusedForward).sum();
        long skipped = layers.stream().mapToLong(LeanDenseLayer.Impl::skippedInputGradient).sum();
        int steps = 3 * (int) Math.ceil(ROWS.length / 32.0);
        if ("relu".equals(activation)) {
            assertEquals((long) steps * layers.size(), reused, "every ReLU layer reused its forward output on every step");
        } else {
            assertEquals(0, reused, "other activations recompute, as DL4J does");
        }
        if (!"cnn".equals(kind) && !"conv1d".equals(branch)) { // dense layers on convolutions: their input gradient is needed
            assertTrue(skipped >= steps, "a layer fed by network inputs skipped its input gradient: " + skipped);
        }
        for (LeanDenseLayer.Impl l : layers) {
            if (l.skippedInputGradient() > 0) {
                assertEquals(steps, l.skippedInputGradient());
            }
        }
    }

    /**
     * At the quickstart's size (400 genes + 512 bits, 256-64, batch 128, dropout, L2) the two differ in the last bits:
     * DL4J's recomputation allocates workspace arrays the lean layer does not, so later arrays sit at other offsets and
     * libnd4j's vectorised kernels can round differently. After 20 steps the parameters stay within the 1e-5.
     */
    @Test
    void atTheQuickstartsSizeWithinTheBoundAfterTwentySteps() {
        ModelSpec base = ModelZooTest.spec("mlp", "dense", false, "adam", "mse");
        ModelConfig m = new ModelConfig("mlp", List.of(256, 64), 0.2, "relu", 1e-4, false, "dense", List.of(16), new ConvConfig(List.of(4), 3, 2), "mse");
        List<InputSpec> inputs = List.of(InputSpec.flat("expression", InputSpec.Kind.OMICS, 400), InputSpec.flat("fingerprints", InputSpec.Kind.DRUG, 512));
        org.oncobench.config.ExperimentConfig.OptimizerConfig adam = new org.oncobench.config.ExperimentConfig.OptimizerConfig("adam", 1e-3, 0.9, 0,
                base.optimizer().schedule());
        float[][] params = new float[2][];
        for (int k = 0; k < 2; k++) {
            ComputationGraph net = ModelRegistry.forKind("mlp").build(new ModelSpec(m, adam, inputs, 42, null, new Speedups(k == 1, false, false)));
            org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(7);
            java.util.Random r = new java.util.Random(3);
            for (int step = 0; step < 20; step++) {
                float[] x1 = new float[128 * 400];
                float[] x2 = new float[128 * 512];
                float[] y = new float[128];
                for (int i = 0; i < x1.length; i++) {
                    x1[i] = (float) r.nextGaussian();
                }
                for (int i = 0; i < x2.length; i++) {
                    x2[i] = r.nextInt(8) == 0 ? 1 : 0;
                }
                for (int i = 0; i < y.length; i++) {
                    y[i] = x1[i * 400] + x2[i * 512] + (float) r.nextGaussian() * 0.1f;
                }
                net.fit(new org.nd4j.linalg.dataset.MultiDataSet(new org.nd4j.linalg.api.ndarray.INDArray[]{
                        org.nd4j.linalg.factory.Nd4j.create(x1, new long[]{128, 400}), org.nd4j.linalg.factory.Nd4j.create(x2, new long[]{128, 512})},
                        new org.nd4j.linalg.api.ndarray.INDArray[]{org.nd4j.linalg.factory.Nd4j.create(y, new long[]{128, 1})}));
            }
            params[k] = net.params().toFloatVector();
        }
        double diff = 0;
        for (int i = 0; i < params[0].length; i++) {
            diff = Math.max(diff, Math.abs(params[0][i] - params[1][i]));
        }
        assertTrue(diff < 1e-5, "max abs difference " + diff);
    }

    @Test
    void maxPoolingInJavaEqualsDl4jsForwardAndBackwardAndFallsBackWhereItShould() {
        for (long[] shape : new long[][]{{3, 5, 10, 10}, {2, 4, 9, 9}, {2, 3, 1, 12}}) {
            int[] kernel = shape[2] == 1 ? new int[]{1, 3} : new int[]{2, 2};
            org.deeplearning4j.nn.conf.layers.SubsamplingLayer conf = new org.deeplearning4j.nn.conf.layers.SubsamplingLayer.Builder(
                    org.deeplearning4j.nn.conf.layers.PoolingType.MAX).kernelSize(kernel).stride(kernel)
                    .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same).build();
            double[] results = new double[2];
            org.nd4j.linalg.api.ndarray.INDArray[][] out = new org.nd4j.linalg.api.ndarray.INDArray[2][];
            for (int k = 0; k < 2; k++) {
                org.deeplearning4j.nn.conf.ComputationGraphConfiguration g = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                        .dataType(org.nd4j.linalg.api.buffer.DataType.FLOAT).graphBuilder().addInputs("x")
                        .setInputTypes(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(shape[2], shape[3], shape[1]))
                        .addLayer("pool", k == 0 ? conf.clone() : LeanSubsamplingLayer.from(conf), "x").setOutputs("pool").build();
                ComputationGraph net = new ComputationGraph(g);
                net.init();
                org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(3);
                org.nd4j.linalg.api.ndarray.INDArray x = org.nd4j.linalg.factory.Nd4j.randn(org.nd4j.linalg.api.buffer.DataType.FLOAT, shape);
                Layer layer = net.getLayer("pool");
                layer.setInput(x, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
                org.nd4j.linalg.api.ndarray.INDArray y = layer.activate(true, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
                org.nd4j.linalg.api.ndarray.INDArray eps = org.nd4j.linalg.factory.Nd4j.randn(org.nd4j.linalg.api.buffer.DataType.FLOAT, y.shape());
                org.nd4j.linalg.api.ndarray.INDArray back = layer.backpropGradient(eps, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces()).getSecond();
                out[k] = new org.nd4j.linalg.api.ndarray.INDArray[]{y.dup(), back.dup()};
                if (k == 1) {
                    LeanSubsamplingLayer.Impl impl = assertInstanceOf(LeanSubsamplingLayer.Impl.class, layer);
                    boolean tiles = shape[2] % kernel[0] == 0 && shape[3] % kernel[1] == 0;
                    assertEquals(tiles ? 1 : 0, impl.javaForward(), java.util.Arrays.toString(shape));
                    assertEquals(tiles ? 1 : 0, impl.javaBackward(), java.util.Arrays.toString(shape));
                }
            }
            assertArrayEquals(out[0][0].shape(), out[1][0].shape());
            assertArrayEquals(out[0][0].ravel().toFloatVector(), out[1][0].ravel().toFloatVector(), "forward " + java.util.Arrays.toString(shape));
            assertArrayEquals(out[0][1].ravel().toFloatVector(), out[1][1].ravel().toFloatVector(), "backward " + java.util.Arrays.toString(shape));
        }
    }

    @Test
    void onlyLayersFedByNetworkInputsSkipTheirInputGradient() {
        ComputationGraph twin = ModelRegistry.forKind("twin").build(spec("twin", "dense", "relu", false, 0.2, true));
        for (GraphVertex v : twin.getVertices()) {
            if (v.hasLayer() && v.getLayer().conf().getLayer() instanceof LeanDenseLayer l) {
                boolean fedByInputs = java.util.Arrays.stream(v.getInputVertices()).map(i -> twin.getVertices()[i.getVertexIndex()])
                        .allMatch(in -> in.isInputVertex() || in instanceof LeanMergeVertex.Impl
                                && java.util.Arrays.stream(in.getInputVertices()).allMatch(x -> twin.getVertices()[x.getVertexIndex()].isInputVertex()));
                assertEquals(!fedByInputs, l.isInputGradient(), v.getVertexName());
            }
        }
        // the two branches' first layers skip it, the head and the second branch layers do not
        long skipping = twin.getConfiguration().getVertices().values().stream().filter(v -> v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv
                && lv.getLayerConf().getLayer() instanceof LeanDenseLayer l && !l.isInputGradient()).count();
        assertEquals(2, skipping);
    }

    @Test
    void savedAndLoadedWithModelSerializerItContinuesIdentically() throws Exception {
        ComputationGraph net = ModelRegistry.forKind("mlp").build(spec("mlp", "dense", "relu", false, 0.2, true));
        train(net, 1);
        Path file = dir.resolve("model.zip");
        ModelSerializer.writeModel(net, file.toFile(), true);
        ComputationGraph loaded = ModelSerializer.restoreComputationGraph(file.toFile(), true);
        assertEquals(net.getConfiguration().toJson(), loaded.getConfiguration().toJson());
        Layer first = loaded.getLayers()[0];
        assertInstanceOf(LeanDenseLayer.Impl.class, first);
        assertTrue(loaded.getConfiguration().getVertices().values().stream().anyMatch(v -> v instanceof LeanMergeVertex));
        train(net, 1);
        train(loaded, 1);
        assertArrayEquals(net.params().toFloatVector(), loaded.params().toFloatVector());
    }
}
