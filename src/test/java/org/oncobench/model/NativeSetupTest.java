package org.oncobench.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The CPU build oncobench ships: nd4j-native's oneDNN build, and DL4J's convolution layers actually using it. */
class NativeSetupTest {
    @Test
    void theOneDnnBuildIsLoadedAndDl4jConvolutionsUseIt() {
        NativeSetup.apply();
        assumeTrue("CPU".equalsIgnoreCase(Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend")), "CPU profile only");
        assertEquals("-onednn", System.getProperty(NativeSetup.EXTENSION));
        assertTrue(org.nd4j.nativeblas.Nd4jCpu.Environment.getInstance().isUseMKLDNN(), "oneDNN build not loaded");
        // without the org.nd4j.nativeblas.Nd4jCpu shim DL4J M2.1's check fails and convolutions fall back to im2col
        assertTrue(BaseMKLDNNHelper.mklDnnEnabled(), "DL4J's oneDNN check failed");
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(1).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(8, 8, 1)).build());
        net.init();
        net.fit(Nd4j.rand(DataType.FLOAT, 4, 1, 8, 8), Nd4j.rand(DataType.FLOAT, 4, 1));
        assertInstanceOf(MKLDNNConvHelper.class, net.getLayer(0).getHelper());
        assertTrue(Double.isFinite(net.score()));
    }

    @Test
    void picksTheFastestBuildTheCpuCanRunAndTheClassPathHas() {
        java.util.function.Predicate<String> all = e -> true;
        assertEquals("-onednn-avx512", NativeSetup.choose(java.util.Set.of("sse4_2", "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl"), all));
        assertEquals("-onednn-avx2", NativeSetup.choose(java.util.Set.of("sse4_2", "avx2", "fma", "avx512f"), all), "AVX-512 only in part");
        assertEquals("-onednn", NativeSetup.choose(java.util.Set.of("sse4_2", "avx"), all), "no AVX2");
        assertEquals("-onednn", NativeSetup.choose(java.util.Set.of("avx2"), all), "AVX2 without FMA");
        assertEquals("-onednn-avx2", NativeSetup.choose(java.util.Set.of("avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl"),
                e -> !e.endsWith("avx512")), "the AVX-512 build is not shipped");
        assertEquals(null, NativeSetup.choose(java.util.Set.of("avx2", "fma"), e -> false), "nothing on the class path: JavaCPP's default");
    }

    @Test
    void theShippedBuildIsChosenHere() {
        java.util.Set<String> flags = NativeSetup.cpuFlags();
        assumeTrue(!flags.isEmpty(), "no /proc/cpuinfo");
        // the CPU profile ships only the oneDNN build (its AVX2 variant measured 1.02-1.04x for 94 MB more; see NativeSetup)
        String chosen = NativeSetup.choose(flags, e -> getClass().getClassLoader()
                .getResource("org/nd4j/linalg/cpu/nativecpu/bindings/" + org.bytedeco.javacpp.Loader.getPlatform() + e + "/libjnind4jcpu.so") != null);
        assertEquals("-onednn", chosen, "flags " + flags);
    }

    @Test
    void theCudnnBuildIsAddedBesideTheCpuBuildAsJavaCppSplitsThem() {
        // -Pcuda,cpu: both; JavaCPP splits the extension list on the path separator and tries each per library
        assertEquals("-onednn" + java.io.File.pathSeparator + "-cudnn", NativeSetup.extensions("-onednn", true));
        assertEquals("-cudnn", NativeSetup.extensions(null, true)); // -Pcuda alone
        assertEquals("-onednn", NativeSetup.extensions("-onednn", false)); // the CPU build
        assertEquals(null, NativeSetup.extensions(null, false));
    }
}
