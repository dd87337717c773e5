package org.oncobench.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;

import java.util.Map;

/**
 * A residual MLP on all inputs concatenated (as {@link MlpModel}): a dense stem of {@code model.hidden[0]} units, then
 * one residual block per entry of {@code model.hidden} (dense → {@code model.norm} (batch by default) → activation →
 * dropout, plus the skip), then the output layer; see {@link GraphAssembler#residualStack}.
 */
public final class ResMlpModel implements NetworkBuilder {
    @Override
    public ComputationGraphConfiguration configure(ModelSpec spec) {
        GraphAssembler g = new GraphAssembler(spec, Map.of());
        String all = g.merge(spec.inputs().stream().map(InputSpec::name).toList());
        return g.configuration(g.residualStack(all), true);
    }
}
