package org.oncobench.export.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import onnx.Onnx;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.MultiNormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;
import org.oncobench.model.LeanDenseLayer;
import org.oncobench.model.LeanSubsamplingLayer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates a trained oncobench ComputationGraph, with the normaliser and input schema of its {@code model.zip}, into
 * an ONNX model that computes what the bundle's {@code Predictor} computes, from raw features:
 * <ul>
 *   <li>one float input per table, named after it, [batch, width] in the schema's column order; where the schema
 *   records training medians ({@code missing: median}) a NaN takes the column's median, as a gene left out of a
 *   {@code Predictor} request does;</li>
 *   <li>each input standardised inside the graph (Sub, Div with the normaliser's mean and sd, in float as the
 *   Predictor does);</li>
 *   <li>the vertices in DL4J's topological order: dense and output layers as Gemm, 2D convolutions (same or explicit
 *   padding), max pooling, global pooling, concatenation, DL4J's preprocessors as Reshape and Flatten, the activations
 *   oncobench uses; batch normalisation folded into the dense layer it feeds (through a concatenation too) or else
 *   into one per-feature scale and shift; dropout removed (DL4J applies it only in training);</li>
 *   <li>one double output {@code prediction} [batch, 1]: the response in the target's units (the target's
 *   standardisation undone) or, for classification, the positive class's probability moved to the training
 *   prevalence, computed in double with the Predictor's formulas.</li>
 * </ul>
 * Anything else (another layer, vertex, preprocessor, activation, data layout or padding mode) is refused with an
 * {@link OnnxExportException} naming the vertex and what is supported: never exported approximately.
 */
public final class OnnxConverter {
    public static final int OPSET = 13;
    /** ONNX IR version 7: the newest the ND4J-shipped protobuf classes know, enough for opset 13. */
    static final long IR_VERSION = Onnx.Version.IR_VERSION_2020_5_8_VALUE;
    public static final String OUTPUT = "prediction";
    static final String SUPPORTED = "dense and output layers, batch normalisation, 2D convolution (NCHW, same/truncate/strict padding), "
            + "max pooling, global average/max pooling, merge (concatenation), dropout (removed); activations identity, relu, leakyrelu, "
            + "elu, tanh, sigmoid, swish, softmax";

    private final ComputationGraph net;
    private final ComputationGraphConfiguration conf;
    private final OnnxGraph g;
    private final Map<String, Value> values = new HashMap<>();

    /**
     * A vertex's output: the ONNX value's name and its shape without the batch dimension ([width] or [channels,
     * height, width]); for a flat value, optionally a per-feature affine (scale, shift) still to be applied to it: a
     * batch normalisation that the next dense layer folds into its weights.
     */
    private record Value(String name, long[] shape, double[] scale, double[] shift) {
        Value(String name, long... shape) {
            this(name, shape, null, null);
        }

        boolean pending() {
            return scale != null;
        }

        int width() {
            return (int) shape[0];
        }
    }

    private OnnxConverter(ComputationGraph net, String name, String doc) {
        this.net = net;
        this.conf = net.getConfiguration();
        this.g = new OnnxGraph(name, doc);
    }

    /**
     * The ONNX model of {@code net} with its normaliser and input schema (the bundle's {@code input_schema.json}, which
     * also goes into the model's metadata as {@code input_schema}, beside {@code metadata}).
     *
     * @throws OnnxExportException when the network holds anything the exporter does not translate exactly
     */
    public static OnnxModel convert(ComputationGraph net, MultiNormalizerStandardize normalizer, JsonNode schema, String schemaText,
                                    Map<String, String> metadata, String graphName) {
        boolean classification = "classification".equals(schema.path("task").asText());
        String meaning = schema.path("output").asText(classification ? "probability of the positive class" : "the response");
        OnnxConverter c = new OnnxConverter(net, graphName, "oncobench model: raw features in, " + meaning + " out");
        List<OnnxModel.Input> inputs = c.inputs(normalizer, schema);
        c.vertices();
        c.output(normalizer, schema, classification, meaning);
        Onnx.ModelProto.Builder model = Onnx.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("oncobench")
                .setProducerVersion(String.valueOf(metadata.getOrDefault("oncobench_version", "unknown")))
                .setDomain("org.oncobench")
                .setModelVersion(1)
                .setDocString("Inputs: one float tensor [batch, width] per table, raw values in the column order of the metadata's input_schema "
                        + "(NaN takes the training median where the schema has a fill). Output '" + OUTPUT + "' [batch, 1], double: " + meaning + ".")
                .setGraph(c.g.build());
        model.addOpsetImportBuilder().setDomain("").setVersion(OPSET);
        Map<String, String> props = new LinkedHashMap<>(metadata);
        props.put("input_schema", schemaText);
        props.putAll(inputNotes(schema));
        props.forEach((k, v) -> model.addMetadataPropsBuilder().setKey(k).setValue(v));
        return new OnnxModel(model.build().toByteArray(), inputs, OUTPUT, meaning, OPSET, c.g.operators());
    }

    /**
     * Per input, what a client needs without a JSON parser: {@code input.NAME.columns} (the column names in order, one
     * per line), {@code input.NAME.fingerprint} or {@code input.NAME.image} (how the values are made).
     */
    static Map<String, String> inputNotes(JsonNode schema) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode in : schema.path("inputs")) {
            String key = "input." + in.path("name").asText() + ".";
            if (in.path("columns").isArray()) {
                List<String> columns = new ArrayList<>();
                in.path("columns").forEach(c -> columns.add(c.asText()));
                out.put(key + "columns", String.join("\n", columns));
            }
            JsonNode fp = in.path("fingerprint");
            if (fp.isObject()) {
                out.put(key + "fingerprint", "ECFP" + 2 * fp.path("radius").asInt() + " folded to " + fp.path("bits").asInt()
                        + " bits, 0 or 1 (CDK's CircularFingerprinter, radius " + fp.path("radius").asInt() + ", from the drug's SMILES)");
            }
            JsonNode size = in.path("image_size");
            if (size.isArray() && size.size() == 3) {
                out.put(key + "image", size.get(0).asInt() + " x " + size.get(1).asInt() + " x " + size.get(2).asInt()
                        + " (height x width x channels): the mean of a sample's tiles, pixels scaled to [0, 1], flattened channel-first");
            }
        }
        return out;
    }

    private OnnxExportException refuse(String vertex, String what) {
        return new OnnxExportException("cannot export this model to ONNX: " + (vertex == null ? "" : "vertex '" + vertex + "' ") + what
                + ". The exporter translates " + SUPPORTED + "; the bundle's DL4J model (export RUN --out FILE.zip) still serves this one");
    }

    /** The graph inputs, NaN fill and standardisation, in the schema's order (which must be the network's). */
    private List<OnnxModel.Input> inputs(MultiNormalizerStandardize normalizer, JsonNode schema) {
        List<String> names = conf.getNetworkInputs();
        JsonNode declared = schema.path("inputs");
        if (declared.size() != names.size()) {
            throw refuse(null, "the input schema lists " + declared.size() + " inputs but the network has " + names.size() + " " + names);
        }
        g.reserve(OUTPUT);
        List<OnnxModel.Input> out = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) {
            JsonNode in = declared.get(k);
            String name = in.path("name").asText();
            int width = in.path("width").asInt();
            if (!name.equals(names.get(k))) {
                throw refuse(null, "input " + k + " is '" + name + "' in the schema but '" + names.get(k) + "' in the network");
            }
            if (name.equals(OUTPUT)) {
                throw refuse(null, "an input table is named '" + OUTPUT + "', the name of the model's output");
            }
            float[] mean = normalizer.getFeatureMean(k).castTo(DataType.FLOAT).toFloatVector();
            float[] sd = normalizer.getFeatureStd(k).castTo(DataType.FLOAT).toFloatVector();
            if (mean.length != width || sd.length != width) {
                throw refuse(null, "input '" + name + "' is " + width + " wide in the schema but its normaliser has " + mean.length + " means");
            }
            g.input(name, Onnx.TensorProto.DataType.FLOAT, width);
            String v = name;
            JsonNode fill = in.path("fill");
            if (fill.isArray()) {
                if (fill.size() != width) {
                    throw refuse(null, "input '" + name + "' has " + fill.size() + " fill values for " + width + " columns");
                }
                float[] medians = new float[width];
                for (int c = 0; c < width; c++) {
                    medians[c] = (float) fill.get(c).asDouble();
                }
                String missing = g.node("IsNaN", name + ":missing", List.of(v));
                v = g.node("Where", name + ":filled", List.of(missing, g.floats(name + ":fill", new long[]{width}, medians), v));
            }
            if (!allEqual(mean, 0f)) {
                v = g.node("Sub", name + ":centred", List.of(v, g.floats(name + ":mean", new long[]{width}, mean)));
            }
            if (!allEqual(sd, 1f)) {
                v = g.node("Div", name + ":standardised", List.of(v, g.floats(name + ":sd", new long[]{width}, sd)));
            }
            values.put(name, new Value(v, width));
            out.add(new OnnxModel.Input(name, in.path("kind").asText(), width));
        }
        return out;
    }

    private static boolean allEqual(float[] a, float v) {
        for (float x : a) {
            if (Float.floatToIntBits(x) != Float.floatToIntBits(v)) {
                return false;
            }
        }
        return true;
    }

    /** Every vertex, in the order DL4J runs them. */
    private void vertices() {
        Set<String> inputs = Set.copyOf(conf.getNetworkInputs());
        for (int i : net.topologicalSortOrder()) {
            String name = net.getVertices()[i].getVertexName();
            if (inputs.contains(name)) {
                continue;
            }
            GraphVertex v = conf.getVertices().get(name);
            List<String> from = conf.getVertexInputs().get(name);
            if (v instanceof LayerVertex lv) {
                if (from.size() != 1) {
                    throw refuse(name, "is a layer with " + from.size() + " inputs");
                }
                values.put(name, layer(name, lv, values.get(from.get(0))));
            } else if (v instanceof MergeVertex m) {
                values.put(name, merge(name, m, from));
            } else {
                throw refuse(name, "is a " + v.getClass().getSimpleName() + " vertex");
            }
        }
    }

    private Value layer(String name, LayerVertex lv, Value in) {
        InputPreProcessor pre = lv.getPreProcessor();
        if (pre != null) {
            in = preprocess(name, pre, in);
        }
        Layer layer = lv.getLayerConf().getLayer();
        Value out;
        if (layer.getClass() == OutputLayer.class || layer.getClass() == DenseLayer.class || layer.getClass() == LeanDenseLayer.class) {
            out = dense(name, (org.deeplearning4j.nn.conf.layers.FeedForwardLayer) layer, in);
        } else if (layer.getClass() == BatchNormalization.class) {
            out = batchNorm(name, (BatchNormalization) layer, in);
        } else if (layer.getClass() == ConvolutionLayer.class || layer.getClass() == org.oncobench.model.LeanConvolutionLayer.class) {
            // the lean convolution's forward pass is DL4J's
            out = convolution(name, (ConvolutionLayer) layer, in);
        } else if (layer.getClass() == SubsamplingLayer.class || layer.getClass() == LeanSubsamplingLayer.class) {
            out = pooling(name, (SubsamplingLayer) layer, in);
        } else if (layer.getClass() == GlobalPoolingLayer.class) {
            out = globalPooling(name, (GlobalPoolingLayer) layer, in);
        } else {
            throw refuse(name, "is a " + layer.getClass().getSimpleName() + " layer");
        }
        checkShape(name, layer, in, out);
        return out;
    }

    /** Cross-checks a translated layer's output shape against DL4J's own shape inference. */
    private void checkShape(String name, Layer layer, Value in, Value out) {
        InputType type = in.shape().length == 1 ? InputType.feedForward(in.shape()[0])
                : InputType.convolutional(in.shape()[1], in.shape()[2], in.shape()[0]);
        long[] dl4j = layer.getOutputType(-1, type).getShape(false);
        if (!Arrays.equals(dl4j, out.shape())) {
            throw refuse(name, "gives shape " + Arrays.toString(dl4j) + " in DL4J but " + Arrays.toString(out.shape()) + " in the translation");
        }
    }

    private Value preprocess(String name, InputPreProcessor pre, Value in) {
        if (pre instanceof FeedForwardToCnnPreProcessor p) {
            Value x = plain(in, name);
            if (x.shape().length != 1 || x.width() != p.getNumChannels() * p.getInputHeight() * p.getInputWidth()) {
                throw refuse(name, "reshapes " + Arrays.toString(x.shape()) + " into " + p.getNumChannels() + " x " + p.getInputHeight() + " x " + p.getInputWidth());
            }
            String shape = g.longs(name + ":shape", new long[]{4}, new long[]{-1, p.getNumChannels(), p.getInputHeight(), p.getInputWidth()});
            return new Value(g.node("Reshape", name + ":image", List.of(x.name(), shape)), p.getNumChannels(), p.getInputHeight(), p.getInputWidth());
        }
        if (pre instanceof CnnToFeedForwardPreProcessor p) {
            if (p.getFormat() != CNN2DFormat.NCHW) {
                throw refuse(name, "flattens " + p.getFormat() + " activations (only NCHW is translated)");
            }
            Value x = plain(in, name);
            if (x.shape().length != 3 || x.shape()[0] != p.getNumChannels() || x.shape()[1] != p.getInputHeight() || x.shape()[2] != p.getInputWidth()) {
                throw refuse(name, "flattens " + Arrays.toString(x.shape()) + " as " + p.getNumChannels() + " x " + p.getInputHeight() + " x " + p.getInputWidth());
            }
            return new Value(g.node("Flatten", name + ":flat", List.of(x.name()), OnnxGraph.integer("axis", 1)), x.shape()[0] * x.shape()[1] * x.shape()[2]);
        }
        throw refuse(name, "has a " + pre.getClass().getSimpleName() + " input preprocessor");
    }

    /** The value with any pending batch-normalisation affine applied (Mul, Add). */
    private Value plain(Value v, String vertex) {
        if (!v.pending()) {
            return v;
        }
        float[] scale = toFloats(v.scale());
        float[] shift = toFloats(v.shift());
        long[] dims = {v.width()};
        String scaled = g.node("Mul", vertex + ":bn_scaled", List.of(v.name(), g.floats(vertex + ":bn_scale", dims, scale)));
        return new Value(g.node("Add", vertex + ":bn", List.of(scaled, g.floats(vertex + ":bn_shift", dims, shift))), v.shape());
    }

    private Value dense(String name, org.deeplearning4j.nn.conf.layers.FeedForwardLayer layer, Value in) {
        if (layer instanceof DenseLayer d && d.hasLayerNorm()) {
            throw refuse(name, "is a dense layer with layer normalisation");
        }
        if (((BaseLayer) layer).getWeightNoise() != null) {
            throw refuse(name, "has weight noise");
        }
        if (in.shape().length != 1) {
            throw refuse(name, "is a dense layer over a " + in.shape().length + "-dimensional activation without a preprocessor");
        }
        org.deeplearning4j.nn.api.Layer impl = net.getLayer(name);
        INDArray w = impl.getParam("W");
        int nIn = (int) w.size(0);
        int nOut = (int) w.size(1);
        if (nIn != in.width()) {
            throw refuse(name, "expects " + nIn + " inputs but receives " + in.width());
        }
        float[] weights = rowMajor(w);
        boolean hasBias = layer instanceof DenseLayer d ? d.hasBias() : ((OutputLayer) layer).hasBias();
        float[] bias = hasBias ? rowMajor(impl.getParam("b")) : new float[nOut];
        if (in.pending()) { // the batch normalisation before this layer, folded into its weights: W' = diag(s) W, b' = b + t W
            double[] s = in.scale();
            double[] t = in.shift();
            double[] b2 = new double[nOut];
            for (int j = 0; j < nOut; j++) {
                b2[j] = bias[j];
            }
            float[] w2 = new float[weights.length];
            for (int i = 0; i < nIn; i++) {
                for (int j = 0; j < nOut; j++) {
                    w2[i * nOut + j] = (float) (s[i] * weights[i * nOut + j]);
                    b2[j] += t[i] * weights[i * nOut + j];
                }
            }
            weights = w2;
            bias = toFloats(b2);
        }
        String z = g.node("Gemm", name + ":z", List.of(in.name(), g.floats(name + ":W", new long[]{nIn, nOut}, weights),
                g.floats(name + ":b", new long[]{nOut}, bias)));
        return new Value(activation(name, ((BaseLayer) layer).getActivationFn(), z), nOut);
    }

    /**
     * Batch normalisation with its running statistics, as DL4J's inference computes it: var = (10^log10std)^2 (or the
     * stored variance), y = (x - mean) / sqrt(var + eps) * gamma + beta, i.e. one scale and shift per feature. DL4J's
     * batch normalisation layer ignores its activation function, and so does this.
     */
    private Value batchNorm(String name, BatchNormalization bn, Value in) {
        org.deeplearning4j.nn.api.Layer impl = net.getLayer(name);
        float[] mean = rowMajor(impl.getParam("mean"));
        int n = mean.length;
        float[] var;
        if (bn.isUseLogStd()) {
            float[] log10std = rowMajor(impl.getParam("log10stdev"));
            var = new float[n];
            for (int i = 0; i < n; i++) {
                float std = (float) Math.pow(10, log10std[i]);
                var[i] = std * std;
            }
        } else {
            var = rowMajor(impl.getParam("var"));
        }
        float[] gamma = new float[n];
        float[] beta = new float[n];
        if (bn.isLockGammaBeta()) {
            Arrays.fill(gamma, (float) bn.getGamma());
            Arrays.fill(beta, (float) bn.getBeta());
        } else {
            gamma = rowMajor(impl.getParam("gamma"));
            beta = rowMajor(impl.getParam("beta"));
        }
        double[] scale = new double[n];
        double[] shift = new double[n];
        for (int i = 0; i < n; i++) {
            float std = (float) Math.sqrt(var[i] + (float) bn.getEps());
            scale[i] = (double) gamma[i] / std;
            shift[i] = beta[i] - mean[i] * scale[i];
        }
        if (in.shape().length == 1) {
            if (in.width() != n) {
                throw refuse(name, "normalises " + n + " features of a " + in.width() + "-wide input");
            }
            if (in.pending()) { // two affines in a row compose into one
                double[] s = new double[n];
                double[] t = new double[n];
                for (int i = 0; i < n; i++) {
                    s[i] = scale[i] * in.scale()[i];
                    t[i] = scale[i] * in.shift()[i] + shift[i];
                }
                return new Value(in.name(), in.shape(), s, t);
            }
            return new Value(in.name(), in.shape(), scale, shift);
        }
        if (bn.getCnn2DFormat() != CNN2DFormat.NCHW || in.shape()[0] != n) {
            throw refuse(name, "normalises " + bn.getCnn2DFormat() + " activations of shape " + Arrays.toString(in.shape()));
        }
        long[] dims = {n, 1, 1};
        String scaled = g.node("Mul", name + ":scaled", List.of(in.name(), g.floats(name + ":scale", dims, toFloats(scale))));
        return new Value(g.node("Add", name + ":bn", List.of(scaled, g.floats(name + ":shift", dims, toFloats(shift)))), in.shape());
    }

    /** Padding [top, left, bottom, right] and output size of a convolution or pooling window over {@code in} = [c, h, w]. */
    private long[][] window(String name, ConvolutionMode mode, long[] in, int[] kernel, int[] stride, int[] dilation, int[] padding) {
        long[] pads = new long[4];
        long[] out = new long[2];
        for (int d = 0; d < 2; d++) {
            long size = in[d + 1];
            long effective = (long) (kernel[d] - 1) * dilation[d] + 1;
            switch (mode) {
                case Same -> {
                    out[d] = (size + stride[d] - 1) / stride[d];
                    long total = Math.max(0, (out[d] - 1) * stride[d] + effective - size);
                    pads[d] = total / 2; // DL4J puts the odd pixel at the bottom/right, as ONNX's SAME_UPPER does
                    pads[d + 2] = total - total / 2;
                }
                case Truncate, Strict -> {
                    out[d] = (size + 2L * padding[d] - effective) / stride[d] + 1;
                    pads[d] = padding[d];
                    pads[d + 2] = padding[d];
                }
                default -> throw refuse(name, "uses convolution mode " + mode);
            }
        }
        return new long[][]{pads, out};
    }

    private Value convolution(String name, ConvolutionLayer c, Value in) {
        if (c.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
            throw refuse(name, "is a convolution over " + c.getCnn2dDataFormat() + " activations (only NCHW is translated)");
        }
        if (((BaseLayer) c).getWeightNoise() != null) {
            throw refuse(name, "has weight noise");
        }
        if (in.shape().length != 3) {
            throw refuse(name, "is a convolution over a flat input without a preprocessor");
        }
        org.deeplearning4j.nn.api.Layer impl = net.getLayer(name);
        INDArray w = impl.getParam("W");
        long[] wShape = w.shape();
        if (wShape[1] != in.shape()[0]) {
            throw refuse(name, "expects " + wShape[1] + " channels but receives " + in.shape()[0]);
        }
        long[][] win = window(name, c.getConvolutionMode(), in.shape(), c.getKernelSize(), c.getStride(), c.getDilation(), c.getPadding());
        List<String> args = new ArrayList<>(List.of(in.name(), g.floats(name + ":W", wShape, rowMajor(w))));
        if (c.hasBias()) {
            args.add(g.floats(name + ":b", new long[]{wShape[0]}, rowMajor(impl.getParam("b"))));
        }
        String z = g.node("Conv", name + ":z", args, OnnxGraph.ints("kernel_shape", wShape[2], wShape[3]),
                OnnxGraph.ints("strides", c.getStride()[0], c.getStride()[1]), OnnxGraph.ints("dilations", c.getDilation()[0], c.getDilation()[1]),
                OnnxGraph.ints("pads", win[0]), OnnxGraph.integer("group", 1));
        return new Value(activation(name, c.getActivationFn(), z), wShape[0], win[1][0], win[1][1]);
    }

    private Value pooling(String name, SubsamplingLayer s, Value in) {
        if (s.getPoolingType() != PoolingType.MAX) {
            throw refuse(name, "is " + s.getPoolingType() + " pooling (only max pooling is translated)");
        }
        if (s.getCnn2dDataFormat() != CNN2DFormat.NCHW || in.shape().length != 3) {
            throw refuse(name, "pools " + s.getCnn2dDataFormat() + " activations of shape " + Arrays.toString(in.shape()));
        }
        long[][] win = window(name, s.getConvolutionMode(), in.shape(), s.getKernelSize(), s.getStride(), s.getDilation(), s.getPadding());
        // max pooling ignores the padding in DL4J (libnd4j's windows are clipped to the input) and in ONNX
        String out = g.node("MaxPool", name + ":max", List.of(in.name()), OnnxGraph.ints("kernel_shape", s.getKernelSize()[0], s.getKernelSize()[1]),
                OnnxGraph.ints("strides", s.getStride()[0], s.getStride()[1]), OnnxGraph.ints("dilations", s.getDilation()[0], s.getDilation()[1]),
                OnnxGraph.ints("pads", win[0]));
        return new Value(out, in.shape()[0], win[1][0], win[1][1]);
    }

    private Value globalPooling(String name, GlobalPoolingLayer p, Value in) {
        int[] dims = p.getPoolingDimensions();
        if (in.shape().length != 3 || !p.isCollapseDimensions() || (dims != null && !Arrays.equals(dims, new int[]{2, 3}))) {
            throw refuse(name, "is global pooling over " + Arrays.toString(in.shape()) + (dims == null ? "" : " along " + Arrays.toString(dims))
                    + " (only over the height and width of NCHW activations, collapsed, is translated)");
        }
        String op = switch (p.getPoolingType()) {
            case AVG -> "ReduceMean";
            case MAX -> "ReduceMax";
            default -> throw refuse(name, "is global " + p.getPoolingType() + " pooling");
        };
        return new Value(g.node(op, name + ":pooled", List.of(in.name()), OnnxGraph.ints("axes", 2, 3), OnnxGraph.integer("keepdims", 0)), in.shape()[0]);
    }

    /** Concatenation along features (flat) or channels (NCHW); pending affines concatenate too, to be folded after. */
    private Value merge(String name, MergeVertex m, List<String> from) {
        if (m.getMergeAxis() != 1) {
            throw refuse(name, "merges along axis " + m.getMergeAxis());
        }
        List<Value> parts = from.stream().map(values::get).toList();
        boolean flat = parts.stream().allMatch(p -> p.shape().length == 1);
        if (flat) {
            int width = parts.stream().mapToInt(Value::width).sum();
            boolean pending = parts.stream().anyMatch(Value::pending);
            double[] scale = pending ? new double[width] : null;
            double[] shift = pending ? new double[width] : null;
            int at = 0;
            for (Value p : parts) {
                for (int i = 0; i < p.width(); i++) {
                    if (pending) {
                        scale[at + i] = p.pending() ? p.scale()[i] : 1;
                        shift[at + i] = p.pending() ? p.shift()[i] : 0;
                    }
                }
                at += p.width();
            }
            String out = g.node("Concat", name + ":concat", parts.stream().map(Value::name).toList(), OnnxGraph.integer("axis", 1));
            return new Value(out, new long[]{width}, scale, shift);
        }
        boolean images = parts.stream().allMatch(p -> p.shape().length == 3 && p.shape()[1] == parts.get(0).shape()[1] && p.shape()[2] == parts.get(0).shape()[2]);
        if (!images) {
            throw refuse(name, "merges activations of shapes " + parts.stream().map(p -> Arrays.toString(p.shape())).toList());
        }
        long channels = parts.stream().mapToLong(p -> p.shape()[0]).sum();
        String out = g.node("Concat", name + ":concat", parts.stream().map(p -> plain(p, name).name()).toList(), OnnxGraph.integer("axis", 1));
        return new Value(out, channels, parts.get(0).shape()[1], parts.get(0).shape()[2]);
    }

    private String activation(String vertex, IActivation a, String x) {
        if (a instanceof ActivationIdentity) {
            return x;
        }
        if (a instanceof ActivationReLU r) {
            if (r.getMax() != null || (r.getThreshold() != null && r.getThreshold() != 0) || (r.getNegativeSlope() != null && r.getNegativeSlope() != 0)) {
                throw refuse(vertex, "uses a ReLU with a maximum, threshold or negative slope");
            }
            return g.node("Relu", vertex + ":relu", List.of(x));
        }
        if (a instanceof ActivationLReLU l) {
            return g.node("LeakyRelu", vertex + ":leakyrelu", List.of(x), OnnxGraph.real("alpha", (float) l.getAlpha()));
        }
        if (a instanceof ActivationELU e) {
            return g.node("Elu", vertex + ":elu", List.of(x), OnnxGraph.real("alpha", (float) e.getAlpha()));
        }
        if (a instanceof ActivationTanH) {
            return g.node("Tanh", vertex + ":tanh", List.of(x));
        }
        if (a instanceof ActivationSigmoid) {
            return g.node("Sigmoid", vertex + ":sigmoid", List.of(x));
        }
        if (a instanceof ActivationSwish) { // DL4J's swish: x * sigmoid(x)
            return g.node("Mul", vertex + ":swish", List.of(x, g.node("Sigmoid", vertex + ":swish_gate", List.of(x))));
        }
        if (a instanceof ActivationSoftmax) {
            return g.node("Softmax", vertex + ":softmax", List.of(x), OnnxGraph.integer("axis", 1));
        }
        throw refuse(vertex, "uses the activation " + a);
    }

    /** The network's one output, in the Predictor's terms, as the double output {@link #OUTPUT}. */
    private void output(MultiNormalizerStandardize normalizer, JsonNode schema, boolean classification, String meaning) {
        List<String> outputs = conf.getNetworkOutputs();
        if (outputs.size() != 1) {
            throw refuse(null, "the network has " + outputs.size() + " outputs " + outputs);
        }
        Value out = plain(values.get(outputs.get(0)), outputs.get(0));
        if (out.shape().length != 1) {
            throw refuse(outputs.get(0), "gives a " + (out.shape().length + 1) + "-dimensional output");
        }
        String cast = "output:double";
        if (classification) {
            if (out.width() < 2) {
                throw refuse(outputs.get(0), "gives " + out.width() + " class probabilities where classification needs two");
            }
            String p = g.node("Slice", "output:positive", List.of(out.name(), g.longs("output:from", new long[]{1}, new long[]{1}),
                    g.longs("output:to", new long[]{1}, new long[]{2}), g.longs("output:axis", new long[]{1}, new long[]{1})));
            JsonNode prior = schema.path("prior_correction").path("training_positive_rate");
            if (!prior.isNumber()) {
                g.nodeInto("Cast", OUTPUT, List.of(p), OnnxGraph.integer("to", Onnx.TensorProto.DataType.DOUBLE_VALUE));
            } else { // p' = p pi / (p pi + (1 - p)(1 - pi)), in double as Calibration.toTrainingPrevalence computes it
                double pi = prior.asDouble();
                String pd = g.node("Cast", cast, List.of(p), OnnxGraph.integer("to", Onnx.TensorProto.DataType.DOUBLE_VALUE));
                String a = g.node("Mul", "output:p_pi", List.of(pd, g.doubles("output:pi", new long[]{1}, new double[]{pi})));
                String q = g.node("Sub", "output:not_p", List.of(g.doubles("output:one", new long[]{1}, new double[]{1}), pd));
                String b = g.node("Mul", "output:q_not_pi", List.of(q, g.doubles("output:not_pi", new long[]{1}, new double[]{1 - pi})));
                String sum = g.node("Add", "output:total", List.of(a, b));
                g.nodeInto("Div", OUTPUT, List.of(a, sum));
            }
        } else {
            if (out.width() != 1) {
                throw refuse(outputs.get(0), "gives " + out.width() + " values where regression needs one");
            }
            if (!normalizer.isFitLabel()) {
                throw refuse(null, "the normaliser has no target statistics to restore the response's units");
            }
            double sd = normalizer.getLabelStd(0).getDouble(0);
            double mean = normalizer.getLabelMean(0).getDouble(0);
            String zd = g.node("Cast", cast, List.of(out.name()), OnnxGraph.integer("to", Onnx.TensorProto.DataType.DOUBLE_VALUE));
            String scaled = g.node("Mul", "output:scaled", List.of(zd, g.doubles("output:sd", new long[]{1}, new double[]{sd})));
            g.nodeInto("Add", OUTPUT, List.of(scaled, g.doubles("output:mean", new long[]{1}, new double[]{mean})));
        }
        g.output(OUTPUT, Onnx.TensorProto.DataType.DOUBLE, 1);
    }

    /** An array's values in row-major ('c') order, as floats. */
    private static float[] rowMajor(INDArray a) {
        return Nd4j.toFlattened('c', a.castTo(DataType.FLOAT)).toFloatVector();
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
