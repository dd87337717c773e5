package org.oncobench.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * DL4J's subsampling layer with max pooling over non-overlapping windows (kernel = stride, no padding: the image
 * branch's 2 x 2 pooling) done in Java. DL4J 1.0.0-M2.1 runs it through oneDNN, whose primitives it rebuilds on every
 * call: for the multimodal model's 128 x 8 x 16 x 16 activations that was 35% of a training step in JFR (backward
 * 21.5%, forward 13.5%), for work a loop does in well under a millisecond. The forward pass keeps each window's
 * argmax (the first maximum) for the backward pass, which routes each output's gradient to it. Any other pooling,
 * layout, padding, dilation or data type takes DL4J's path. Registered by class name in the configuration JSON.
 */
public class LeanSubsamplingLayer extends SubsamplingLayer {

    /** For JSON; models are built with {@link #from}. */
    public LeanSubsamplingLayer() {
        super();
    }

    /** This layer with every setting of a built DL4J subsampling layer (copied through DL4J's own JSON mapper). */
    public static LeanSubsamplingLayer from(SubsamplingLayer stock) {
        return CustomLayers.copyAs(stock, LeanSubsamplingLayer.class);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        return CustomLayers.wire(new Impl(conf, networkDataType), this, conf, trainingListeners, layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LeanSubsamplingLayer && super.equals(o);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + 11;
    }

    /** The layer itself. */
    public static final class Impl extends org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer {
        /** For the last training forward pass: its input, and each output's argmax as an index into that input. */
        private INDArray argmaxInput;
        private int[] argmax;
        private long javaForward;
        private long javaBackward;

        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        /** Forward and backward passes done here rather than by DL4J (for tests). */
        public long javaForward() {
            return javaForward;
        }

        public long javaBackward() {
            return javaBackward;
        }

        /** Whether this input takes the Java path: max pooling, NCHW, float, windows that tile the input exactly. */
        boolean handles(INDArray in) {
            SubsamplingLayer c = layerConf();
            int[] k = c.getKernelSize();
            int[] s = c.getStride();
            int[] d = c.getDilation();
            int[] p = c.getPadding();
            return in != null && in.rank() == 4 && in.dataType() == DataType.FLOAT && c.getPoolingType() == org.deeplearning4j.nn.conf.layers.PoolingType.MAX
                    && c.getCnn2dDataFormat() == CNN2DFormat.NCHW && k[0] == s[0] && k[1] == s[1] && (d == null || d[0] == 1 && d[1] == 1)
                    && (convolutionMode == ConvolutionMode.Same || p == null || p[0] == 0 && p[1] == 0)
                    && in.size(2) % k[0] == 0 && in.size(3) % k[1] == 0 && in.length() < Integer.MAX_VALUE && maskArray == null;
        }

        @Override
        public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
            argmaxInput = null;
            argmax = null;
            super.setInput(input, workspaceMgr);
        }

        private static float[] floats(INDArray a) {
            INDArray c = a.ordering() == 'c' && a.elementWiseStride() == 1 ? a : a.dup('c');
            float[] out = new float[(int) c.length()];
            c.data().asNioFloat().get((int) c.offset(), out, 0, out.length);
            return out;
        }

        /** Each output's argmax (index into the input), and the maxima into {@code values} when it is not null. */
        private int[] pool(float[] in, long[] shape, float[] values) {
            int[] k = layerConf().getKernelSize();
            int planes = (int) (shape[0] * shape[1]);
            int h = (int) shape[2];
            int w = (int) shape[3];
            int oh = h / k[0];
            int ow = w / k[1];
            int[] idx = new int[planes * oh * ow];
            if (k[0] == 2 && k[1] == 2) { // the image branch's pooling, unrolled; the same order and tie rule as below
                int o = 0;
                for (int plane = 0; plane < planes; plane++) {
                    for (int oy = 0; oy < oh; oy++) {
                        int row = plane * h * w + 2 * oy * w;
                        for (int ox = 0; ox < ow; ox++, o++) {
                            int i = row + 2 * ox;
                            int best = i;
                            float max = in[i];
                            if (in[i + 1] > max) {
                                max = in[i + 1];
                                best = i + 1;
                            }
                            if (in[i + w] > max) {
                                max = in[i + w];
                                best = i + w;
                            }
                            if (in[i + w + 1] > max) {
                                max = in[i + w + 1];
                                best = i + w + 1;
                            }
                            idx[o] = best;
                            if (values != null) {
                                values[o] = max;
                            }
                        }
                    }
                }
                return idx;
            }
            int o = 0;
            for (int plane = 0; plane < planes; plane++) {
                int base = plane * h * w;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int best = base + oy * k[0] * w + ox * k[1];
                        float max = in[best];
                        for (int ky = 0; ky < k[0]; ky++) {
                            int row = base + (oy * k[0] + ky) * w + ox * k[1];
                            for (int kx = 0; kx < k[1]; kx++) {
                                if (in[row + kx] > max) {
                                    max = in[row + kx];
                                    best = row + kx;
                                }
                            }
                        }
                        idx[o] = best;
                        if (values != null) {
                            values[o] = max;
                        }
                        o++;
                    }
                }
            }
            return idx;
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
            if (!handles(input)) {
                return super.activate(training, workspaceMgr);
            }
            assertInputSet(false);
            int[] k = layerConf().getKernelSize();
            long[] shape = input.shape();
            long[] outShape = {shape[0], shape[1], shape[2] / k[0], shape[3] / k[1]};
            float[] values = new float[(int) (outShape[0] * outShape[1] * outShape[2] * outShape[3])];
            int[] idx = pool(floats(input), shape, values);
            INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, outShape, 'c');
            out.data().asNioFloat().put((int) out.offset(), values, 0, values.length);
            argmax = training ? idx : null;
            argmaxInput = training ? input : null;
            javaForward++;
            return out;
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            if (!handles(input) || epsilon.dataType() != DataType.FLOAT) {
                return super.backpropGradient(epsilon, workspaceMgr);
            }
            assertInputSet(true);
            int[] idx = argmaxInput == input && argmax != null ? argmax : pool(floats(input), input.shape(), null);
            float[] eps = floats(epsilon);
            if (eps.length != idx.length) {
                return super.backpropGradient(epsilon, workspaceMgr);
            }
            float[] grad = new float[(int) input.length()];
            for (int o = 0; o < idx.length; o++) {
                grad[idx[o]] = eps[o]; // windows do not overlap: each input element gets at most one gradient
            }
            INDArray epsAtInput = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape(), 'c');
            epsAtInput.data().asNioFloat().put((int) epsAtInput.offset(), grad, 0, grad.length);
            javaBackward++;
            return new Pair<>(new DefaultGradient(), epsAtInput);
        }

        @Override
        public void clear() {
            argmaxInput = null;
            argmax = null;
            super.clear();
        }
    }
}
