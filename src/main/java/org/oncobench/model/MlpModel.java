package org.oncobench.model;

import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.Map;

/** A multilayer perceptron on all inputs concatenated (sample tables, images as flat pixels, fingerprints). */
public final class MlpModel implements NetworkBuilder {
    @Override
    public ComputationGraph build(ModelSpec spec) {
        GraphAssembler g = new GraphAssembler(spec, Map.of());
        String all = g.merge(spec.inputs().stream().map(InputSpec::name).toList());
        String head = g.dense(all, spec.model().hidden(), false);
        return g.finish(head, !spec.model().hidden().isEmpty());
    }
}
