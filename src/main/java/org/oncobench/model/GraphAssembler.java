package org.oncobench.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentConfig.ConvConfig;
import org.oncobench.config.ExperimentConfig.ModelConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Shared building blocks for the architectures: named inputs, dense stacks, 1D-convolutional and image branches,
 * merge vertices and the task's output layer, assembled into one ComputationGraph.
 */
final class GraphAssembler {
    /** How an input is fed: as a flat feature row, as a 1 x width sequence for 1D convolutions, or as an image. */
    enum Feed { FLAT, SEQUENCE, IMAGE }

    private final ModelSpec spec;
    private final ModelConfig m;
    private final ComputationGraphConfiguration.GraphBuilder graph;
    private int counter;
    /** Network inputs, and merges of nothing but network inputs: layers fed by these need no input gradient. */
    private final java.util.Set<String> inputsOnly = new java.util.HashSet<>();

    GraphAssembler(ModelSpec spec, Map<String, Feed> feeds) {
        this.spec = spec;
        this.m = spec.model();
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(Seeds.nd4j(spec.seed())) // DL4J seeds ND4J with it when the graph initialises
                .dataType(DataType.FLOAT)
                .updater(Layers.updater(spec.optimizer(), spec.speedups().fastAdam()))
                .weightInit(WeightInit.RELU);
        if (spec.leanLayers()) {
            // DL4J's own pre-activation cache: convolution layers keep their forward pre-activation for the backward pass
            // instead of running the convolution again (DL4J's default, CacheMode.NONE, recomputes it)
            base.cacheMode(org.deeplearning4j.nn.conf.CacheMode.DEVICE);
        }
        if (spec.speedups().fastL2() && m.l2() > 0) {
            base.regularization(new ArrayList<>(List.of(new FastL2Regularization(m.l2()))));
        } else {
            base.l2(m.l2());
        }
        if (spec.optimizer().weightDecay() > 0) {
            base.weightDecay(spec.optimizer().weightDecay()); // decoupled: with Adam this is AdamW
        }
        if (spec.optimizer().gradientClip() != null) {
            base.gradientNormalization(org.deeplearning4j.nn.conf.GradientNormalization.ClipL2PerLayer)
                    .gradientNormalizationThreshold(spec.optimizer().gradientClip());
        }
        graph = base.graphBuilder();
        List<String> names = new ArrayList<>();
        List<InputType> types = new ArrayList<>();
        for (InputSpec in : spec.inputs()) {
            names.add(in.name());
            Feed feed = feeds.getOrDefault(in.name(), Feed.FLAT);
            types.add(switch (feed) {
                case FLAT -> InputType.feedForward(in.width());
                case SEQUENCE -> InputType.convolutionalFlat(1, in.width(), 1);
                case IMAGE -> InputType.convolutionalFlat(in.height(), in.imageWidth(), in.channels());
            });
        }
        inputsOnly.addAll(names);
        graph.addInputs(names.toArray(String[]::new));
        graph.setInputTypes(types.toArray(InputType[]::new));
    }

    private String next(String prefix) {
        return prefix + "_" + (counter++);
    }

    /**
     * Dense layers of the given sizes; dropout applies to layers whose input is itself a hidden layer, model.input_dropout
     * and model.input_noise to the first layer when its input is not ({@link #corruptInputs}); model.norm after each.
     */
    String dense(String input, List<Integer> sizes, boolean inputIsHidden) {
        String last = inputIsHidden ? input : corruptInputs(input);
        boolean hidden = inputIsHidden;
        String norm = m.normalisation();
        for (int size : sizes) {
            String name = next("dense");
            DenseLayer.Builder layer = new DenseLayer.Builder().nOut(size).activation(Layers.activation(m.activation()));
            if (hidden && m.dropout() > 0) {
                layer.dropOut(1.0 - m.dropout()); // DL4J takes the probability of keeping an activation
            } else if (!hidden && inputCorruption != null) {
                layer.dropOut(inputCorruption);
            }
            if ("layer".equals(norm)) {
                layer.hasLayerNorm(true); // DL4J's layer norm on the pre-activation (gain and bias per unit)
            }
            addDense(name, layer.build(), last);
            last = name;
            if ("batch".equals(norm)) {
                String bn = next("bn");
                graph.addLayer(bn, new BatchNormalization.Builder().build(), last);
                last = bn;
            }
            hidden = true;
        }
        return last;
    }

    /** The input corruption the next dense layer fed by inputs takes as its own DL4J IDropout (null: none). */
    private org.deeplearning4j.nn.conf.dropout.IDropout inputCorruption;

    /**
     * model.input_dropout (DL4J's Dropout) and model.input_noise (DL4J's GaussianNoise, additive, training only) on the
     * inputs: as the first dense layer's own IDropout when only one is set (so the lean layer still skips its input
     * gradient), and with both a DropoutLayer of the noise in front of that layer, whose IDropout is then the dropout.
     */
    private String corruptInputs(String input) {
        double p = m.inputDropoutRate();
        double sd = m.inputNoiseSd();
        inputCorruption = p > 0 ? new org.deeplearning4j.nn.conf.dropout.Dropout(1.0 - p)
                : sd > 0 ? new org.deeplearning4j.nn.conf.dropout.GaussianNoise(sd) : null;
        if (p > 0 && sd > 0) {
            String noise = next("noise");
            graph.addLayer(noise, new org.deeplearning4j.nn.conf.layers.DropoutLayer.Builder()
                    .dropOut(new org.deeplearning4j.nn.conf.dropout.GaussianNoise(sd)).build(), input);
            return noise;
        }
        return input;
    }

    /** A dense layer: LeanDenseLayer with the lean layers (without input gradient when fed by network inputs only), else DL4J's. */
    private void addDense(String name, DenseLayer built, String input) {
        graph.addLayer(name, spec.leanLayers() ? LeanDenseLayer.from(built, !inputsOnly.contains(input)) : built, input);
    }

    /**
     * model.kind resmlp: a dense stem of {@code hidden[0]} units on the (corrupted) inputs, then one residual block per
     * entry of {@code hidden}: dense (no activation) → model.norm → activation → dropout, added to the block's input (through
     * a bias-free linear projection where the widths differ).
     */
    String residualStack(String input) {
        List<Integer> sizes = m.hidden();
        String last = dense(input, List.of(sizes.get(0)), false);
        int width = sizes.get(0);
        String norm = m.normalisation();
        Activation act = Layers.activation(m.activation());
        for (int size : sizes) {
            String block = next("block");
            DenseLayer.Builder d = new DenseLayer.Builder().nOut(size);
            String branch;
            if ("batch".equals(norm)) {
                addDense(block + "_dense", d.activation(Activation.IDENTITY).build(), last);
                graph.addLayer(block + "_bn", new BatchNormalization.Builder().activation(act).build(), block + "_dense");
                branch = block + "_bn";
            } else {
                addDense(block + "_dense", d.activation(act).hasLayerNorm("layer".equals(norm)).build(), last);
                branch = block + "_dense";
            }
            if (m.dropout() > 0) {
                graph.addLayer(block + "_dropout", new org.deeplearning4j.nn.conf.layers.DropoutLayer.Builder(1.0 - m.dropout()).build(), branch);
                branch = block + "_dropout";
            }
            String skip = last;
            if (size != width) {
                addDense(block + "_skip", new DenseLayer.Builder().nOut(size).activation(Activation.IDENTITY).hasBias(false).build(), last);
                skip = block + "_skip";
            }
            graph.addVertex(block, new org.deeplearning4j.nn.conf.graph.ElementWiseVertex(org.deeplearning4j.nn.conf.graph.ElementWiseVertex.Op.Add),
                    branch, skip);
            last = block;
            width = size;
        }
        return last;
    }

    /**
     * One dense layer without activation, dropout or batch normalisation ({@code bias}: with a bias vector), initialised
     * with {@code init}: the FiLM generators, the factorisation's embeddings and biases.
     */
    String linear(String input, int size, boolean bias, WeightInit init) {
        String name = next("linear");
        DenseLayer built = new DenseLayer.Builder().nOut(size).activation(Activation.IDENTITY).hasBias(bias).weightInit(init).build();
        graph.addLayer(name, spec.leanLayers() ? LeanDenseLayer.from(built, !inputsOnly.contains(input)) : built, input);
        return name;
    }

    /** A graph vertex (element-wise product, sum, shift, dot product) on {@code inputs}. */
    String vertex(String prefix, org.deeplearning4j.nn.conf.graph.GraphVertex vertex, String... inputs) {
        String name = next(prefix);
        graph.addVertex(name, vertex, inputs);
        return name;
    }

    /**
     * The sample branch of a FiLM network (Perez et al. 2018): per size a dense layer (dropout when its input is hidden;
     * batch normalisation with {@code model.batch_norm}), its pre-activation z modulated by the drug representation as
     * gamma * z + beta, with gamma = 1 + W_g d and beta = W_b d (both from {@code drug}, so an untrained network starts
     * near the unmodulated one), then the activation.
     */
    String film(String input, String drug, List<Integer> sizes, boolean inputIsHidden) {
        String last = input;
        boolean hidden = inputIsHidden;
        for (int size : sizes) {
            String z = next("film_dense");
            DenseLayer.Builder layer = new DenseLayer.Builder().nOut(size).activation(Activation.IDENTITY);
            if (hidden && m.dropout() > 0) {
                layer.dropOut(1.0 - m.dropout());
            }
            graph.addLayer(z, spec.leanLayers() ? LeanDenseLayer.from(layer.build(), !inputsOnly.contains(last)) : layer.build(), last);
            if (m.batchNorm()) {
                String bn = next("bn");
                graph.addLayer(bn, new BatchNormalization.Builder().build(), z);
                z = bn;
            }
            String gamma = vertex("film_gamma", new ShiftVertex(1.0), linear(drug, size, true, WeightInit.XAVIER));
            String beta = linear(drug, size, true, WeightInit.XAVIER);
            String scaled = vertex("film_scale", new ElementWiseVertex(ElementWiseVertex.Op.Product), z, gamma);
            String shifted = vertex("film_shift", new ElementWiseVertex(ElementWiseVertex.Op.Add), scaled, beta);
            String act = next("film_act");
            graph.addLayer(act, new ActivationLayer.Builder().activation(Layers.activation(m.activation())).build(), shifted);
            last = act;
            hidden = true;
        }
        return last;
    }

    /** tCNNS-style 1D convolutions over a feature row (kernel 1 x k, max-pooling 1 x p), then the branch's dense layers. */
    String conv1d(String input) {
        ConvConfig c = m.conv();
        String last = input;
        for (int filters : c.filters()) {
            String conv = next("conv1d");
            graph.addLayer(conv, convolution(new ConvolutionLayer.Builder(1, c.kernel()).nOut(filters).convolutionMode(ConvolutionMode.Same)
                    .activation(Layers.activation(m.activation())).build(), last), last);
            String pool = next("pool");
            graph.addLayer(pool, pooling(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(1, c.pool()).stride(1, c.pool())
                    .convolutionMode(ConvolutionMode.Same).build()), conv);
            last = pool;
        }
        return dense(last, m.branchHidden(), true);
    }

    /**
     * A convolution on {@code input}: {@link LeanConvolutionLayer} without an input gradient when it is fed by a network
     * input and the lean convolution is on ({@link Speedups#leanConv}), else DL4J's own (the lean layer's only shortcut
     * is the skipped input gradient, so elsewhere it would be DL4J's layer under another name).
     */
    private ConvolutionLayer convolution(ConvolutionLayer stock, String input) {
        return spec.speedups().leanConv() && inputsOnly.contains(input) ? LeanConvolutionLayer.from(stock, false) : stock;
    }

    /** Max pooling: {@link LeanSubsamplingLayer} with the lean layers, else DL4J's own. */
    private SubsamplingLayer pooling(SubsamplingLayer stock) {
        return spec.leanLayers() ? LeanSubsamplingLayer.from(stock) : stock;
    }

    /** Small CNN for image tiles: 3x3 convolutions with max-pooling, then global average pooling into an embedding. */
    String imageBranch(String input) {
        ConvConfig c = m.conv();
        String last = input;
        for (int i = 0; i < c.filters().size(); i++) {
            String conv = next("conv2d");
            graph.addLayer(conv, convolution(new ConvolutionLayer.Builder(3, 3).nOut(c.filters().get(i)).convolutionMode(ConvolutionMode.Same)
                    .activation(Layers.activation(m.activation())).build(), last), last);
            last = conv;
            if (i < c.filters().size() - 1) {
                String pool = next("pool");
                graph.addLayer(pool, pooling(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(c.pool(), c.pool()).stride(c.pool(), c.pool())
                        .convolutionMode(ConvolutionMode.Same).build()), conv);
                last = pool;
            }
        }
        String gap = next("gap");
        graph.addLayer(gap, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), last);
        return gap;
    }

    /** Concatenates several branches (a single one is returned as it is). */
    String merge(List<String> branches) {
        if (branches.size() == 1) {
            return branches.get(0);
        }
        String name = next("merge");
        graph.addVertex(name, spec.leanLayers() ? new LeanMergeVertex() : new MergeVertex(), branches.toArray(String[]::new));
        if (inputsOnly.containsAll(branches)) {
            inputsOnly.add(name);
        }
        return name;
    }

    /**
     * Refuses, before anything is allocated, a network whose parameters, gradients and optimiser state would not fit
     * in the memory ND4J may use (JavaCPP's limit, by default the JVM's -Xmx): DL4J would otherwise die with an
     * OutOfMemoryError deep inside its initialisation.
     */
    private void requireMemoryFor(ComputationGraphConfiguration conf) {
        long params = NetworkBuilder.parameters(conf);
        int states = switch (spec.optimizer().kind()) {
            case "adam", "adamw" -> 2;
            case "nesterovs" -> 1;
            default -> 0;
        };
        long bytes = params * Float.BYTES * (3L + states); // parameters, gradients, the update, optimiser state
        long limit = org.bytedeco.javacpp.Pointer.maxBytes();
        if (limit > 0 && bytes > limit) {
            throw new BadInputException(String.format(java.util.Locale.ROOT, "model.hidden %s%s gives %,d parameters: about %.1f GB for "
                            + "parameters, gradients and %s state, more than the %.1f GB ND4J may use here (the JVM's -Xmx, set with "
                            + "ONCOBENCH_JAVA_OPTS); use smaller layers or fewer input features", m.hidden(),
                    List.of("multimodal", "twin", "film", "factorization").contains(m.kind()) ? " with branch_hidden " + m.branchHidden() : "", params,
                    bytes / 1e9, spec.optimizer().kind(), limit / 1e9));
        }
    }

    /** The task's output layer on top of {@code input}, then the graph's configuration (checked to fit in memory). */
    ComputationGraphConfiguration configuration(String input, boolean inputIsHidden) {
        return configuration(input, inputIsHidden, WeightInit.XAVIER);
    }

    /** As {@link #configuration(String, boolean)}, the output layer's weights initialised with {@code outputInit}. */
    ComputationGraphConfiguration configuration(String input, boolean inputIsHidden, WeightInit outputInit) {
        OutputLayer.Builder out;
        if (spec.classification()) {
            out = new OutputLayer.Builder(new LossMCXENT(Nd4j.create(spec.classWeights()).castTo(DataType.FLOAT).reshape(1, 2)))
                    .nOut(2).activation(Activation.SOFTMAX);
        } else {
            out = new OutputLayer.Builder("huber".equals(m.loss()) ? new LossHuber(1.0) : new LossMSE()).nOut(1).activation(Activation.IDENTITY);
        }
        out.weightInit(outputInit);
        if (inputIsHidden && m.dropout() > 0) {
            out.dropOut(1.0 - m.dropout());
        }
        graph.addLayer("output", out.build(), input);
        graph.setOutputs("output");
        ComputationGraphConfiguration conf = graph.build();
        requireMemoryFor(conf);
        return conf;
    }

}
