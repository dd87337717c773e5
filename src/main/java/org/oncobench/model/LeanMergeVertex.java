package org.oncobench.model;

import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's merge (concatenation) vertex that accepts "no gradient" from above: when the layer it feeds is a
 * {@link LeanDenseLayer} that skips its input gradient (because everything merged here is a network input), DL4J's
 * vertex would fail on the missing epsilon, and otherwise split an epsilon nobody reads. This one passes no epsilon on
 * in that case and is DL4J's vertex in every other. Saved by class name in the configuration JSON.
 */
public class LeanMergeVertex extends MergeVertex {

    @Override
    public LeanMergeVertex clone() {
        LeanMergeVertex c = new LeanMergeVertex();
        c.setMergeAxis(getMergeAxis());
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LeanMergeVertex m && m.getMergeAxis() == getMergeAxis();
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + 7;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx, INDArray paramsView,
                                                                      boolean initializeParams, DataType networkDatatype) {
        return new Impl(graph, name, idx, networkDatatype, getMergeAxis());
    }

    /** The vertex itself. */
    public static final class Impl extends org.deeplearning4j.nn.graph.vertex.impl.MergeVertex {
        Impl(ComputationGraph graph, String name, int vertexIndex, DataType dataType, int mergeAxis) {
            super(graph, name, vertexIndex, dataType, mergeAxis);
        }

        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
            if (epsilon == null && inputs != null) {
                return new Pair<>(null, new INDArray[inputs.length]);
            }
            return super.doBackward(tbptt, workspaceMgr);
        }
    }
}
