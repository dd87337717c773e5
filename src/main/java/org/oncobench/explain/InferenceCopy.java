package org.oncobench.explain;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.misc.ElementWiseMultiplicationLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A copy of a trained network that computes its inference function in either mode: the same parameters, workspaces
 * off, every batch normalisation folded into the element-wise affine map it computes at inference
 * ({@code ElementWiseMultiplicationLayer}: x * gamma / sqrt(var + eps) + beta - mean * gamma / sqrt(var + eps)), so a
 * forward pass in training mode normalises with the running statistics rather than the batch's; and dropout removed
 * (explanations) or replaced (Monte Carlo dropout's row-seeded masks).
 */
final class InferenceCopy {
    private InferenceCopy() {
    }

    /**
     * @param dropout what each layer's dropout becomes (null: none); the explanation copy removes it, Monte Carlo dropout
     *                replaces it with row-seeded dropout
     */
    static ComputationGraph of(ComputationGraph trained, UnaryOperator<IDropout> dropout) {
        ComputationGraphConfiguration conf = trained.getConfiguration().clone();
        conf.setTrainingWorkspaceMode(WorkspaceMode.NONE);
        conf.setInferenceWorkspaceMode(WorkspaceMode.NONE);
        for (Map.Entry<String, org.deeplearning4j.nn.conf.graph.GraphVertex> e : conf.getVertices().entrySet()) {
            if (e.getValue() instanceof LayerVertex lv) {
                org.deeplearning4j.nn.conf.layers.Layer layer = lv.getLayerConf().getLayer();
                layer.setIDropout(layer.getIDropout() == null ? null : dropout.apply(layer.getIDropout()));
                if (layer instanceof org.oncobench.model.LeanDenseLayer lean) {
                    lean.setInputGradient(true); // trained without it; explanations are exactly that gradient
                }
                if (layer instanceof BatchNormalization bn) {
                    ElementWiseMultiplicationLayer affine = new ElementWiseMultiplicationLayer.Builder().nIn(bn.getNOut()).nOut(bn.getNOut())
                            .activation(Activation.IDENTITY).weightInit(org.deeplearning4j.nn.weights.WeightInit.ONES).biasInit(0).build();
                    affine.setLayerName(layer.getLayerName());
                    lv.getLayerConf().setLayer(affine);
                }
            }
        }
        ComputationGraph copy = new ComputationGraph(conf);
        copy.init();
        for (GraphVertex v : trained.getVertices()) {
            if (!v.hasLayer()) {
                continue;
            }
            Layer source = v.getLayer();
            Layer target = copy.getLayer(v.getVertexName());
            if (source.conf().getLayer() instanceof BatchNormalization bn) {
                DataType d = DataType.DOUBLE;
                long n = bn.getNOut();
                INDArray gamma = source.getParam("gamma") != null ? source.getParam("gamma").castTo(d) : Nd4j.valueArrayOf(new long[]{1, n}, bn.getGamma(), d);
                INDArray beta = source.getParam("beta") != null ? source.getParam("beta").castTo(d) : Nd4j.valueArrayOf(new long[]{1, n}, bn.getBeta(), d);
                INDArray mean = source.getParam("mean").castTo(d);
                // DL4J stores log10 of the standard deviation (sqrt(var + eps)) by default, or the variance
                INDArray std = source.getParam("log10stdev") != null
                        ? org.nd4j.linalg.ops.transforms.Transforms.pow(Nd4j.valueArrayOf(mean.shape(), 10.0, d), source.getParam("log10stdev").castTo(d), false)
                        : org.nd4j.linalg.ops.transforms.Transforms.sqrt(source.getParam("var").castTo(d).add(bn.getEps()), false);
                INDArray scale = gamma.reshape(mean.shape()).div(std);
                beta = beta.reshape(mean.shape());
                INDArray shift = beta.sub(mean.mul(scale));
                target.setParam("W", scale.reshape(target.getParam("W").shape()).castTo(target.getParam("W").dataType()));
                target.setParam("b", shift.reshape(target.getParam("b").shape()).castTo(target.getParam("b").dataType()));
            } else {
                for (Map.Entry<String, INDArray> p : source.paramTable().entrySet()) {
                    target.setParam(p.getKey(), p.getValue().dup());
                }
            }
        }
        return copy;
    }
}
