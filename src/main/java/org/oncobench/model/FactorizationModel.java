package org.oncobench.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.weights.WeightInit;

import java.util.List;
import java.util.Map;

/**
 * A factorisation head: a cell tower ({@code model.branch_hidden} dense layers over all per-sample inputs, then a linear
 * layer of {@code model.embedding_dim}) gives e_c, a drug tower over the fingerprints gives e_d, and the prediction is
 * e_c . e_d + b_c + b_d + b_0 ({@link DotProductVertex}; the cell and drug biases are linear in the towers' last hidden
 * layers, b_0 is the output layer's bias). For regression the output layer adds the three terms with weights initialised
 * to 1 (so an untrained network is exactly the sum; training may rescale each term); for classification the sum of the
 * three enters the two-class softmax. {@code model.hidden} is not used: the dot product is the head.
 */
public final class FactorizationModel implements NetworkBuilder {
    @Override
    public ComputationGraphConfiguration configure(ModelSpec spec) {
        InputSpec.Sides sides = InputSpec.Sides.of(spec.inputs(), "factorization");
        List<String> samples = sides.samples();
        List<String> drugs = sides.drugs();
        GraphAssembler g = new GraphAssembler(spec, Map.of());
        int k = spec.model().embeddingWidth();
        List<Integer> sizes = spec.model().branchHidden();
        String cell = g.dense(g.merge(samples), sizes, false);
        String drug = g.dense(g.merge(drugs), sizes, false);
        String ec = g.linear(cell, k, true, WeightInit.XAVIER);
        String ed = g.linear(drug, k, true, WeightInit.XAVIER);
        String dot = g.vertex("dot", new DotProductVertex(), ec, ed);
        String bc = g.linear(cell, 1, false, WeightInit.XAVIER);
        String bd = g.linear(drug, 1, false, WeightInit.XAVIER);
        if (spec.classification()) {
            String score = g.vertex("score", new ElementWiseVertex(ElementWiseVertex.Op.Add), dot, bc, bd);
            return g.configuration(score, false);
        }
        // the output layer over [dot, b_c, b_d]: weights 1 (the plain sum) to start, its bias the global bias b_0
        return g.configuration(g.merge(List.of(dot, bc, bd)), false, WeightInit.ONES);
    }
}
