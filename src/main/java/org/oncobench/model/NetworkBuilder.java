package org.oncobench.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Builds an initialised network for one {@code model.kind}. */
public interface NetworkBuilder {
    MultiLayerNetwork build(ModelSpec spec);
}
