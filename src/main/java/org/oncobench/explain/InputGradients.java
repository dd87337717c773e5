package org.oncobench.explain;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.common.primitives.Pair;

import java.util.Map;

/**
 * d output / d input for every input of a trained DL4J {@link ComputationGraph}, which DL4J 1.0.0-M2.1 does not offer
 * (deeplearning4j issue 8173). Works on an explanation copy of the network: the same parameters, workspaces off,
 * dropout removed, and every batch normalisation folded into the element-wise affine map it computes at inference
 * ({@code ElementWiseMultiplicationLayer}: x * gamma / sqrt(var + eps) + beta - mean * gamma / sqrt(var + eps)), so the
 * backward pass differentiates exactly the inference function. A forward pass keeps each vertex's inputs; the backward
 * pass then walks the vertices in reverse topological order through their own {@code doBackward}, starting from the
 * output layer's input gradient computed here (its loss is not what is explained: d output / d output-layer input is
 * W^T scaled by the activation's derivative, identity for regression and the positive class's softmax derivative for
 * classification). Epsilons arriving at the input vertices are the input gradients. Rows are independent (no layer
 * mixes rows at inference), so one backward pass of a batch gives every row's gradient.
 */
public final class InputGradients {
    private final ComputationGraph net;
    private final int positiveColumn;
    private final String outputName;
    private final DataType dataType;

    /**
     * @param trained        the trained network (not modified)
     * @param positiveColumn the output column explained (0 for regression; the positive class for classification)
     */
    public InputGradients(ComputationGraph trained, int positiveColumn) {
        this(trained, positiveColumn, null);
    }

    /**
     * @param precision the data type of the explanation copy (null: the trained network's); DOUBLE for finite-difference
     *                  checks, where float32's rounding would blur the comparison
     */
    public InputGradients(ComputationGraph trained, int positiveColumn, DataType precision) {
        ComputationGraph copy = explanationCopy(trained);
        this.net = precision == null ? copy : copy.convertDataType(precision);
        this.dataType = precision == null ? trained.params().dataType() : precision;
        this.net.initGradientsView(); // layers write their parameter gradients into views; unused here, but doBackward needs them
        this.positiveColumn = positiveColumn;
        this.outputName = trained.getConfiguration().getNetworkOutputs().get(0);
    }

    /** The explanation copy: same parameters, no dropout, no workspaces, batch normalisation folded. */
    static ComputationGraph explanationCopy(ComputationGraph trained) {
        return InferenceCopy.of(trained, dropout -> null);
    }

    /** The explained output (network units) for a batch: column {@code positiveColumn} of the output. */
    public INDArray output(INDArray... inputs) {
        return net.outputSingle(false, doubles(inputs)).getColumn(positiveColumn).dup();
    }

    /** One gradient per input (same shapes as the inputs): d output[row] / d input[row, feature] for every row. */
    public INDArray[] gradients(INDArray... given) {
        INDArray[] inputs = doubles(given);
        Map<String, INDArray> acts = net.feedForward(inputs, false, false);
        GraphVertex[] vertices = net.getVertices();
        int[] order = net.topologicalSortOrder();
        INDArray[] epsilons = new INDArray[vertices.length];
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        GraphVertex output = net.getVertex(outputName);
        // the output layer by hand: d out / d z for the explained column, then through W
        INDArray out = acts.get(outputName);
        Layer layer = output.getLayer();
        INDArray w = layer.getParam("W");
        INDArray dz = Nd4j.zeros(out.dataType(), out.size(0), out.size(1));
        String activation = String.valueOf(((org.deeplearning4j.nn.conf.layers.BaseLayer) layer.conf().getLayer()).getActivationFn());
        if (out.size(1) == 1 || activation.toLowerCase(java.util.Locale.ROOT).contains("identity")) {
            dz.getColumn(positiveColumn).assign(1.0);
        } else { // softmax: d p_k / d z_j = p_k (delta_kj - p_j)
            INDArray pk = out.getColumn(positiveColumn);
            for (int j = 0; j < out.size(1); j++) {
                INDArray col = j == positiveColumn ? pk.mul(pk.rsub(1.0)) : pk.mul(out.getColumn(j)).neg();
                dz.getColumn(j).assign(col);
            }
        }
        INDArray first = dz.mmul(w.transpose());
        VertexIndices[] outputInputs = output.getInputVertices();
        epsilons[outputInputs[0].getVertexIndex()] = first;
        INDArray[] inputGradients = new INDArray[inputs.length];
        for (int i = order.length - 1; i >= 0; i--) {
            GraphVertex v = vertices[order[i]];
            if (v == output || epsilons[v.getVertexIndex()] == null) {
                continue;
            }
            INDArray eps = epsilons[v.getVertexIndex()];
            if (v.isInputVertex()) {
                inputGradients[net.getConfiguration().getNetworkInputs().indexOf(v.getVertexName())] = eps;
                continue;
            }
            v.setEpsilon(eps);
            Pair<org.deeplearning4j.nn.gradient.Gradient, INDArray[]> back = v.doBackward(false, mgr);
            VertexIndices[] ins = v.getInputVertices();
            for (int k = 0; k < ins.length; k++) {
                INDArray e = back.getSecond()[k];
                if (e == null) {
                    continue;
                }
                int target = ins[k].getVertexIndex();
                epsilons[target] = epsilons[target] == null ? e.dup() : epsilons[target].add(e);
            }
        }
        for (int i = 0; i < inputGradients.length; i++) {
            if (inputGradients[i] == null) {
                inputGradients[i] = Nd4j.zeros(inputs[i].dataType(), inputs[i].shape());
            } else if (!java.util.Arrays.equals(inputGradients[i].shape(), inputs[i].shape())) {
                inputGradients[i] = inputGradients[i].reshape(inputs[i].shape());
            }
        }
        net.clear();
        return inputGradients;
    }

    private INDArray[] doubles(INDArray[] inputs) {
        INDArray[] out = new INDArray[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            out[i] = inputs[i].dataType() == dataType ? inputs[i] : inputs[i].castTo(dataType);
        }
        return out;
    }
}
