package org.oncobench.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** Builds the ComputationGraph for one {@code model.kind}; its inputs are named and ordered as in the spec. */
public interface NetworkBuilder {
    /**
     * The network's configuration, nothing allocated; refuses (BadInputException naming {@code model.hidden}) a network
     * whose parameters, gradients and optimiser state would not fit in the memory ND4J may use.
     */
    ComputationGraphConfiguration configure(ModelSpec spec);

    /** The initialised network. */
    default ComputationGraph build(ModelSpec spec) {
        ComputationGraph net = new ComputationGraph(configure(spec));
        net.init();
        return net;
    }

    /** The number of parameters {@code conf} gives (weights and biases of every layer). */
    static long parameters(ComputationGraphConfiguration conf) {
        long params = 0;
        for (org.deeplearning4j.nn.conf.graph.GraphVertex v : conf.getVertices().values()) {
            if (v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv) {
                params += lv.getLayerConf().getLayer().initializer().numParams(lv.getLayerConf());
            }
        }
        return params;
    }
}
