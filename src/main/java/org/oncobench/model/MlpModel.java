package org.oncobench.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;

import java.util.Map;

/** A multilayer perceptron on all inputs concatenated (sample tables, images as flat pixels, fingerprints). */
public final class MlpModel implements NetworkBuilder {
    @Override
    public ComputationGraphConfiguration configure(ModelSpec spec) {
        GraphAssembler g = new GraphAssembler(spec, Map.of());
        String all = g.merge(spec.inputs().stream().map(InputSpec::name).toList());
        String head = g.dense(all, spec.model().hidden(), false);
        return g.configuration(head, !spec.model().hidden().isEmpty());
    }
}
