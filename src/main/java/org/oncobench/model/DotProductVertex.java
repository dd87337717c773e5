package org.oncobench.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The row-wise dot product of two activations of equal width: [batch, k] x [batch, k] -> [batch, 1], sum over j of
 * a_j * b_j; its backward pass gives a's gradient as b times the incoming gradient and b's as a times it. No parameters.
 * DL4J has no such vertex (its ElementWiseVertex multiplies but keeps the width; L2Vertex is a distance). Saved by class
 * name in the configuration JSON, as DL4J's own vertices are.
 */
public class DotProductVertex extends org.deeplearning4j.nn.conf.graph.GraphVertex {

    @Override
    public DotProductVertex clone() {
        return new DotProductVertex();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DotProductVertex;
    }

    @Override
    public int hashCode() {
        return DotProductVertex.class.getName().hashCode();
    }

    @Override
    public long numParams(boolean backprop) {
        return 0;
    }

    @Override
    public int minVertexInputs() {
        return 2;
    }

    @Override
    public int maxVertexInputs() {
        return 2;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx, INDArray paramsView,
                                                                      boolean initializeParams, DataType networkDatatype) {
        return new Impl(graph, name, idx, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) throws InvalidInputTypeException {
        if (vertexInputs.length != 2 || !(vertexInputs[0] instanceof InputType.InputTypeFeedForward a)
                || !(vertexInputs[1] instanceof InputType.InputTypeFeedForward b) || a.getSize() != b.getSize()) {
            throw new InvalidInputTypeException("a dot product needs two flat inputs of equal width, got " + java.util.Arrays.toString(vertexInputs));
        }
        return InputType.feedForward(1);
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        return new LayerMemoryReport.Builder(null, DotProductVertex.class, inputTypes[0], InputType.feedForward(1))
                .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }

    @Override
    public String toString() {
        return "DotProductVertex()";
    }

    /** The vertex itself. */
    public static final class Impl extends BaseGraphVertex {
        Impl(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
            super(graph, name, vertexIndex, null, null, dataType);
        }

        @Override
        public boolean hasLayer() {
            return false;
        }

        @Override
        public Layer getLayer() {
            return null;
        }

        @Override
        public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
            if (!canDoForward()) {
                throw new IllegalStateException("DotProductVertex " + vertexName + ": inputs not set");
            }
            try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATIONS)) {
                return inputs[0].mul(inputs[1]).sum(true, 1);
            }
        }

        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
            if (!canDoBackward()) {
                throw new IllegalStateException("DotProductVertex " + vertexName + ": epsilon not set");
            }
            INDArray[] out = new INDArray[2];
            try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATION_GRAD)) {
                out[0] = inputs[1].mulColumnVector(epsilon);
                out[1] = inputs[0].mulColumnVector(epsilon);
            }
            return new Pair<>(null, out);
        }

        @Override
        public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
            if (backpropGradientsViewArray != null) {
                throw new IllegalStateException("DotProductVertex has no parameters");
            }
        }

        @Override
        public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState, int minibatchSize) {
            return new Pair<>(maskArrays == null || maskArrays.length == 0 ? null : maskArrays[0], currentMaskState);
        }

        @Override
        public String toString() {
            return "DotProductVertex(id=" + vertexIndex + ",name=\"" + vertexName + "\")";
        }
    }
}
