package org.oncobench.model;

import org.deeplearning4j.nn.graph.ComputationGraph;

/** Builds an initialised ComputationGraph for one {@code model.kind}; its inputs are named and ordered as in the spec. */
public interface NetworkBuilder {
    ComputationGraph build(ModelSpec spec);
}
