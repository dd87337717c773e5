package org.oncobench.export.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.api.preprocessor.MultiNormalizerStandardize;
import org.nd4j.linalg.dataset.api.preprocessor.stats.DistributionStats;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.oncobench.export.ZooBundles;
import org.oncobench.model.ModelRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the converter emits for the registry's networks, and what it refuses, naming the vertex. */
class OnnxConverterTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static MultiNormalizerStandardize normalizer(int... widths) {
        List<DistributionStats> stats = new ArrayList<>();
        for (int w : widths) {
            stats.add(new DistributionStats(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, w),
                    Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, w).addi(0.5)));
        }
        MultiNormalizerStandardize n = new MultiNormalizerStandardize();
        n.setFeatureStats(stats);
        n.fitLabel(true);
        n.setLabelStats(List.of(new DistributionStats(Nd4j.create(new float[]{1.5f}, 1, 1), Nd4j.create(new float[]{2f}, 1, 1))));
        return n;
    }

    static JsonNode schema(String... inputs) {
        StringBuilder sb = new StringBuilder("{\"task\": \"regression\", \"output\": \"y in its own units\", \"inputs\": [");
        for (int i = 0; i < inputs.length; i += 2) {
            sb.append(i > 0 ? "," : "").append("{\"name\": \"").append(inputs[i]).append("\", \"kind\": \"matrix\", \"width\": ").append(inputs[i + 1]).append('}');
        }
        try {
            return JSON.readTree(sb.append("]}").toString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static OnnxModel convert(ComputationGraph net, JsonNode schema, int... widths) {
        return OnnxConverter.convert(net, normalizer(widths), schema, schema.toString(), Map.of(), "test");
    }

    static ComputationGraph graph(ComputationGraphConfiguration.GraphBuilder b) {
        ComputationGraph net = new ComputationGraph(b.build());
        net.init();
        return net;
    }

    static ComputationGraphConfiguration.GraphBuilder twoInputs() {
        return new NeuralNetConfiguration.Builder().seed(1).graphBuilder().addInputs("a", "b")
                .setInputTypes(InputType.feedForward(4), InputType.feedForward(4));
    }

    @Test
    void batchNormalisationIsFoldedIntoTheDenseLayerItFeedsThroughAConcatenation() {
        // twin: each branch's dense + batch norm, concatenated, into the head's dense layer, then batch norm into the output
        ZooBundles.Case k = new ZooBundles.Case("twin", "dense", false, "relu", true, true, false);
        ComputationGraph net = ModelRegistry.forKind("twin").build(ZooBundles.spec(k, ZooBundles.cohort(false, false)));
        OnnxModel m = convert(net, schema("omics", "12", "fingerprints", "16"), 12, 16);
        Map<String, Integer> ops = m.operators();
        assertEquals(4, ops.get("Gemm"), ops.toString()); // two branches, the head, the output
        // the only Mul and Add restore the target's units: no batch normalisation is left as its own op
        assertEquals(1, ops.get("Mul"), ops.toString());
        assertEquals(1, ops.get("Add"), ops.toString());
        assertEquals(List.of("omics", "fingerprints"), m.inputs().stream().map(OnnxModel.Input::name).toList());
        // fingerprints have mean 0 and sd 1 in oncobench, the zoo's random statistics here: both inputs standardised
        assertEquals(2, ops.get("Sub"));
        assertEquals(2, ops.get("Div"));
    }

    @Test
    void anElementWiseVertexIsRefusedNamingIt() {
        ComputationGraph net = graph(twoInputs().addVertex("sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), "a", "b")
                .addLayer("output", new OutputLayer.Builder(new LossMSE()).nOut(1).activation(Activation.IDENTITY).build(), "sum").setOutputs("output"));
        OnnxExportException e = assertThrows(OnnxExportException.class, () -> convert(net, schema("a", "4", "b", "4"), 4, 4));
        assertTrue(e.getMessage().contains("vertex 'sum' is a ElementWiseVertex vertex"), e.getMessage());
    }

    @Test
    void averagePoolingIsRefusedNamingIt() {
        ComputationGraph net = graph(new NeuralNetConfiguration.Builder().seed(1).graphBuilder().addInputs("img")
                .setInputTypes(InputType.convolutionalFlat(4, 4, 1))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(2).activation(Activation.RELU).build(), "img")
                .addLayer("pool", new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build(), "conv")
                .addLayer("output", new OutputLayer.Builder(new LossMSE()).nOut(1).activation(Activation.IDENTITY).build(), "pool").setOutputs("output"));
        OnnxExportException e = assertThrows(OnnxExportException.class, () -> convert(net, schema("img", "16"), 16));
        assertTrue(e.getMessage().contains("vertex 'pool' is AVG pooling (only max pooling is translated)"), e.getMessage());
    }

    @Test
    void aRecurrentLayerIsRefusedNamingIt() {
        ComputationGraph net = graph(new NeuralNetConfiguration.Builder().seed(1).graphBuilder().addInputs("a").setInputTypes(InputType.recurrent(4))
                .addLayer("lstm", new LSTM.Builder().nOut(3).build(), "a")
                .addLayer("output", new org.deeplearning4j.nn.conf.layers.RnnOutputLayer.Builder(new LossMSE()).nOut(1).activation(Activation.IDENTITY).build(), "lstm")
                .setOutputs("output"));
        OnnxExportException e = assertThrows(OnnxExportException.class, () -> convert(net, schema("a", "4"), 4));
        assertTrue(e.getMessage().contains("vertex 'lstm' is a LSTM layer"), e.getMessage());
    }

    @Test
    void aSchemaThatDoesNotMatchTheNetworksInputsIsRefused() {
        ComputationGraph net = graph(twoInputs().addVertex("merge", new org.deeplearning4j.nn.conf.graph.MergeVertex(), "a", "b")
                .addLayer("dense", new DenseLayer.Builder().nOut(3).activation(Activation.RELU).build(), "merge")
                .addLayer("output", new OutputLayer.Builder(new LossMSE()).nOut(1).activation(Activation.IDENTITY).build(), "dense").setOutputs("output"));
        OnnxExportException e = assertThrows(OnnxExportException.class, () -> convert(net, schema("b", "4", "a", "4"), 4, 4));
        assertTrue(e.getMessage().contains("input 0 is 'b' in the schema but 'a' in the network"), e.getMessage());
        OnnxExportException wide = assertThrows(OnnxExportException.class, () -> convert(net, schema("a", "5", "b", "4"), 4, 4));
        assertTrue(wide.getMessage().contains("input 'a' is 5 wide in the schema but its normaliser has 4 means"), wide.getMessage());
    }
}
