package org.oncobench.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.convolution.Convolution;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Collection;

/**
 * DL4J's 2D convolution layer (also the 1 x k "1D" convolutions of {@code model.branch: conv1d}) with a lean backward
 * pass when it sits directly on a network input ({@code inputGradient = false}, set by the model builders). DL4J
 * 1.0.0-M2.1 runs the backward pass through oneDNN's {@code conv2d_bp}, which always computes the gradient with respect
 * to the input (here: the image tiles, which nothing reads) and rebuilds its primitives on every call. This layer:
 * <ul>
 *   <li>skips the input gradient and passes no epsilon back (its input preprocessor, {@link InputReshape}, lets a
 *   missing epsilon through where DL4J's would fail on it);</li>
 *   <li>takes ReLU's derivative from the forward pass's output, which it keeps (z &gt; 0 exactly where relu(z) &gt; 0),
 *   instead of the pre-activation DL4J caches or recomputes;</li>
 *   <li>computes the weight gradient with libnd4j's im2col in its own layout (workspace memory) and one batched GEMM
 *   per step, the bias gradient as delta's sum. (DL4J's built-in layout, im2col into a permuted view, cost 3 ms at batch
 *   128 for the strided writes alone; a Java loop over the 72 weights of the image branch's first layer was slower
 *   than oneDNN.)</li>
 * </ul>
 * The forward pass is DL4J's. The sums run in another order than oneDNN's, so parameters agree with the stock layer to
 * float rounding, not bit for bit (LeanConvolutionLayerTest: within 1e-5 after 63 training steps); the ops are fixed,
 * so runs stay deterministic. Any other case (the input
 * gradient needed, NHWC, dilation, another activation, weight noise, masks, non-float) takes DL4J's path unchanged.
 * Saved by class name in the configuration JSON, so ModelSerializer and bundles load it as DL4J's own layers.
 */
public class LeanConvolutionLayer extends ConvolutionLayer {
    private boolean inputGradient = true;

    /** For JSON; models are built with {@link #from}. */
    public LeanConvolutionLayer() {
        super();
    }

    /** This layer with every setting of a built DL4J convolution layer (copied through DL4J's own JSON mapper). */
    public static LeanConvolutionLayer from(ConvolutionLayer stock, boolean inputGradient) {
        LeanConvolutionLayer lean = CustomLayers.copyAs(stock, LeanConvolutionLayer.class);
        lean.setInputGradient(inputGradient);
        return lean;
    }

    /** Whether the backward pass computes the gradient with respect to the input (false when nothing uses it). */
    public boolean isInputGradient() {
        return inputGradient;
    }

    public void setInputGradient(boolean inputGradient) {
        this.inputGradient = inputGradient;
    }

    /** DL4J's preprocessor for a flat input, as {@link InputReshape} (which lets a skipped input gradient through). */
    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        InputPreProcessor p = super.getPreProcessorForInputType(inputType);
        if (p != null && p.getClass() == FeedForwardToCnnPreProcessor.class) {
            FeedForwardToCnnPreProcessor f = (FeedForwardToCnnPreProcessor) p;
            return new InputReshape(f.getInputHeight(), f.getInputWidth(), f.getNumChannels());
        }
        return p;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        return CustomLayers.wire(new Impl(conf, networkDataType), this, conf, trainingListeners, layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LeanConvolutionLayer l && l.inputGradient == inputGradient && super.equals(o);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Boolean.hashCode(inputGradient);
    }

    /**
     * DL4J's reshape of a flat network input into an image ({@link FeedForwardToCnnPreProcessor}), except that a missing
     * epsilon (the layer above skipped its input gradient) stays missing.
     */
    public static class InputReshape extends FeedForwardToCnnPreProcessor {
        @JsonCreator
        public InputReshape(@JsonProperty("inputHeight") long inputHeight, @JsonProperty("inputWidth") long inputWidth,
                            @JsonProperty("numChannels") long numChannels) {
            super(inputHeight, inputWidth, numChannels);
        }

        @Override
        public INDArray backprop(INDArray epsilons, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
            return epsilons == null ? null : super.backprop(epsilons, miniBatchSize, workspaceMgr);
        }

        @Override
        public InputReshape clone() {
            return new InputReshape(getInputHeight(), getInputWidth(), getNumChannels());
        }
    }

    /** The layer itself. */
    public static final class Impl extends org.deeplearning4j.nn.layers.convolution.ConvolutionLayer {
        /** The training forward pass's output, and the input it was computed from. */
        private INDArray forwardOutput;
        private INDArray forwardInput;
        private long leanBackward;

        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        private LeanConvolutionLayer lean() {
            return (LeanConvolutionLayer) layerConf();
        }

        /** Backward passes that skipped the input gradient and reused the forward output (for tests). */
        public long leanBackward() {
            return leanBackward;
        }

        @Override
        public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
            forwardOutput = null;
            forwardInput = null;
            super.setInput(input, workspaceMgr);
        }

        /** Whether the lean backward pass applies: no input gradient wanted, plain ReLU, NCHW, float, no dilation. */
        private boolean handles() {
            ConvolutionLayer c = layerConf();
            int[] d = c.getDilation();
            return !lean().isInputGradient() && c.getActivationFn() instanceof ActivationReLU r && r.getMax() == null
                    && r.getThreshold() == null && r.getNegativeSlope() == null && c.getCnn2dDataFormat() == CNN2DFormat.NCHW
                    && (d == null || d[0] == 1 && d[1] == 1) && c.getWeightNoise() == null && maskArray == null
                    && input != null && input.rank() == 4 && input.dataType() == DataType.FLOAT;
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
            INDArray out = super.activate(training, workspaceMgr);
            boolean keep = training && handles();
            forwardOutput = keep ? out : null;
            forwardInput = keep ? input : null;
            return out;
        }

        /** The kept forward output, when it belongs to this input and its workspace is still open. */
        private INDArray keptOutput() {
            if (forwardOutput == null || forwardInput != input || forwardOutput.wasClosed() || forwardOutput.rank() != 4) {
                return null;
            }
            return forwardOutput;
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            INDArray out = handles() ? keptOutput() : null;
            if (out == null || epsilon.dataType() != DataType.FLOAT || !java.util.Arrays.equals(out.shape(), epsilon.shape())) {
                return super.backpropGradient(epsilon, workspaceMgr);
            }
            assertInputSet(true);
            ConvolutionLayer c = layerConf();
            INDArray weights = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, true, workspaceMgr);
            long miniBatch = input.size(0);
            long outDepth = weights.size(0);
            long inDepth = weights.size(1);
            int kH = (int) weights.size(2);
            int kW = (int) weights.size(3);
            int[] kernel = c.getKernelSize();
            int[] strides = c.getStride();
            int[] dilation = {1, 1};
            int[] pad;
            int[] outSize;
            if (convolutionMode == ConvolutionMode.Same) {
                outSize = ConvolutionUtils.getOutputSize(input, kernel, strides, null, convolutionMode, dilation, CNN2DFormat.NCHW);
                pad = ConvolutionUtils.getSameModeTopLeftPadding(outSize, new int[]{(int) input.size(2), (int) input.size(3)}, kernel, strides, dilation);
            } else {
                pad = c.getPadding();
                outSize = ConvolutionUtils.getOutputSize(input, kernel, strides, pad, convolutionMode, dilation, CNN2DFormat.NCHW);
            }
            int outH = outSize[0];
            int outW = outSize[1];
            if (strides[0] != 1 || strides[1] != 1 || epsilon.size(2) != outH || epsilon.size(3) != outW || input.length() >= Integer.MAX_VALUE || epsilon.length() >= Integer.MAX_VALUE) {
                return super.backpropGradient(epsilon, workspaceMgr);
            }
            long k = inDepth * kH * kW;
            long plane = (long) outH * outW;
            // ReLU's derivative from the kept output: epsilon where the output is positive
            INDArray delta = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT, out.shape(), 'c');
            Nd4j.getExecutioner().exec(new RectifiedLinearDerivative(out, epsilon, delta, 0.0));
            // im2col in libnd4j's own layout [miniBatch, inDepth, kH, kW, outH, outW] (no strided writes)
            INDArray col = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT,
                    new long[]{miniBatch, inDepth, kH, kW, outH, outW}, 'c');
            Convolution.im2col(input, kH, kW, strides[0], strides[1], pad[0], pad[1], 1, 1, convolutionMode == ConvolutionMode.Same, col);
            // per sample delta [outDepth, plane] x col^T [plane, k], one batched GEMM, then the sum over the batch
            INDArray perSample = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT, new long[]{miniBatch, outDepth, k}, 'c');
            Nd4j.matmul(delta.reshape('c', miniBatch, outDepth, plane), col.reshape('c', miniBatch, k, plane), perSample, false, true, false);
            INDArray weightGradView = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
            perSample.sum(Shape.newShapeNoCopy(weightGradView, new long[]{outDepth, k}, false), 0);
            Gradient ret = new DefaultGradient();
            if (c.hasBias()) {
                INDArray biasGradView = gradientViews.get(ConvolutionParamInitializer.BIAS_KEY);
                delta.sum(biasGradView, 0, 2, 3);
                ret.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasGradView);
            }
            ret.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, weightGradView, 'c');
            weightNoiseParams.clear();
            forwardOutput = null;
            forwardInput = null;
            leanBackward++;
            return new Pair<>(ret, null);
        }

        @Override
        public void clear() {
            forwardOutput = null;
            forwardInput = null;
            super.clear();
        }
    }
}
