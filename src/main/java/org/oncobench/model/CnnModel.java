package org.oncobench.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An image model: a convolutional branch per image table (tiles to an embedding by global average pooling); any
 * other inputs join through one dense branch; a dense head on top.
 */
public final class CnnModel implements NetworkBuilder {
    @Override
    public ComputationGraphConfiguration configure(ModelSpec spec) {
        Map<String, GraphAssembler.Feed> feeds = new HashMap<>();
        List<String> others = new ArrayList<>();
        for (InputSpec in : spec.inputs()) {
            if (in.kind() == InputSpec.Kind.IMAGE) {
                feeds.put(in.name(), GraphAssembler.Feed.IMAGE);
            } else {
                others.add(in.name());
            }
        }
        GraphAssembler g = new GraphAssembler(spec, feeds);
        List<String> branches = new ArrayList<>();
        for (InputSpec in : spec.inputs()) {
            if (in.kind() == InputSpec.Kind.IMAGE) {
                branches.add(g.imageBranch(in.name()));
            }
        }
        if (!others.isEmpty()) {
            branches.add(g.dense(g.merge(others), spec.model().branchHidden(), false));
        }
        String head = g.dense(g.merge(branches), spec.model().hidden(), true);
        return g.configuration(head, true);
    }
}
