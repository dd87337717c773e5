package org.oncobench.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Collection;

/**
 * DL4J's dense layer without two pieces of per-step waste in its backward pass (DL4J 1.0.0-M2.1 {@code BaseLayer.backpropGradient}):
 * <ul>
 *   <li>it recomputes the pre-activation (the layer's whole forward GEMM) although the forward pass just did; with ReLU
 *   the derivative follows from the forward output (z &gt; 0 exactly where relu(z) &gt; 0), which this layer keeps;</li>
 *   <li>it always computes the gradient with respect to its input (W times delta), which {@code ComputationGraph}
 *   throws away when the input is a network input; with {@code inputGradient = false} (set by the model builders for
 *   layers fed by network inputs) that GEMM is skipped and the layer passes no epsilon back.</li>
 * </ul>
 * Everything else (weight and bias gradients, dropout, masks) is DL4J's code path with the same ops, so training
 * matches the stock layer: bit for bit on LeanLayersTest's small networks, and within 1e-5 after 20 steps at the
 * quickstart's size, where DL4J's extra arrays move later ones to other workspace offsets and libnd4j's vectorised
 * kernels can round differently (the quickstart's first-epoch loss agrees to 8 digits). Other activations, weight
 * noise and masks take DL4J's path unchanged; layer norm ({@code hasLayerNorm}) always takes DL4J's backward pass, input
 * gradient included (the shortcut's gradient would skip the normalisation's). Saved by class name in the configuration JSON, so ModelSerializer and bundles load it as they load
 * DL4J's own layers.
 */
public class LeanDenseLayer extends DenseLayer {
    private boolean inputGradient = true;

    /** For JSON; models are built with {@link #from}. */
    public LeanDenseLayer() {
        super();
    }

    /** This layer with every setting of a built DL4J dense layer (copied through DL4J's own JSON mapper). */
    public static LeanDenseLayer from(DenseLayer stock, boolean inputGradient) {
        LeanDenseLayer lean = CustomLayers.copyAs(stock, LeanDenseLayer.class);
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

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        return CustomLayers.wire(new Impl(conf, networkDataType), this, conf, trainingListeners, layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LeanDenseLayer l && l.inputGradient == inputGradient && super.equals(o);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Boolean.hashCode(inputGradient);
    }

    /** The layer itself. */
    public static final class Impl extends org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer {
        /** The training forward pass's output, and the (post-dropout) input it was computed from. */
        private INDArray forwardOutput;
        private INDArray forwardInput;
        private long reusedForward;
        private long skippedInputGradient;

        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        private LeanDenseLayer lean() {
            return (LeanDenseLayer) layerConf();
        }

        /** Backward passes that used the forward output instead of recomputing it (for tests). */
        public long reusedForward() {
            return reusedForward;
        }

        /** Backward passes that skipped the input gradient (for tests). */
        public long skippedInputGradient() {
            return skippedInputGradient;
        }

        @Override
        public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
            forwardOutput = null;
            forwardInput = null;
            super.setInput(input, workspaceMgr);
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
            INDArray out = super.activate(training, workspaceMgr);
            // with ReLU and nothing else between z and the output, the output alone gives the derivative
            boolean keep = training && plainRelu() && !hasLayerNorm() && maskArray == null && layerConf().getWeightNoise() == null;
            forwardOutput = keep ? out : null;
            forwardInput = keep ? input : null;
            return out;
        }

        private boolean plainRelu() {
            return layerConf().getActivationFn() instanceof ActivationReLU r && r.getMax() == null && r.getThreshold() == null
                    && r.getNegativeSlope() == null;
        }

        /** The kept forward output, when it belongs to this input and its workspace is still open. */
        private INDArray keptOutput() {
            if (forwardOutput == null || forwardInput != input || maskArray != null) {
                return null;
            }
            return forwardOutput.wasClosed() ? null : forwardOutput;
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            INDArray out = keptOutput();
            // layer norm sits between z and the activation: only DL4J's backward pass takes it (and the gain) into account
            if ((out == null && lean().isInputGradient()) || hasLayerNorm()) {
                return super.backpropGradient(epsilon, workspaceMgr);
            }
            assertInputSet(true);
            INDArray delta;
            if (out != null) {
                // ReLU's derivative from the output: RectifiedLinearDerivative passes epsilon where its input is > 0
                delta = Nd4j.getExecutioner().exec(new RectifiedLinearDerivative(out, epsilon, out.ulike(), 0.0))[0];
                reusedForward++;
            } else {
                INDArray z = preOutputWithPreNorm(true, true, workspaceMgr).getFirst();
                delta = layerConf().getActivationFn().backprop(z, epsilon).getFirst();
                if (maskArray != null) {
                    applyMask(delta);
                }
            }
            Gradient ret = new DefaultGradient();
            if (hasBias()) {
                INDArray biasGrad = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
                delta.sum(biasGrad, 0);
                ret.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, biasGrad);
            }
            INDArray w = getParamWithNoise(DefaultParamInitializer.WEIGHT_KEY, true, workspaceMgr);
            INDArray epsilonNext = null;
            if (lean().isInputGradient()) {
                epsilonNext = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, delta.dataType(), new long[]{w.size(0), delta.size(0)}, 'f');
                epsilonNext = w.mmuli(delta.transpose(), epsilonNext).transpose();
            } else {
                skippedInputGradient++;
            }
            INDArray weightGrad = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
            Nd4j.gemm(input.castTo(weightGrad.dataType()), delta, weightGrad, true, false, 1.0, 0.0);
            ret.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGrad);
            weightNoiseParams.clear();
            if (epsilonNext != null) {
                epsilonNext = backpropDropOutIfPresent(epsilonNext);
            }
            forwardOutput = null;
            forwardInput = null;
            return new Pair<>(ret, epsilonNext);
        }

        @Override
        public void clear() {
            forwardOutput = null;
            forwardInput = null;
            super.clear();
        }
    }
}
