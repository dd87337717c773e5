package org.oncobench.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A ComputationGraph with a named input per table: a branch per omics table and per fingerprint table (dense, or 1D
 * convolutions with {@code model.branch: conv1d}), a CNN branch per image table, fused into a dense head.
 */
public final class MultimodalModel implements NetworkBuilder {
    @Override
    public ComputationGraphConfiguration configure(ModelSpec spec) {
        boolean conv = "conv1d".equals(spec.model().branch());
        Map<String, GraphAssembler.Feed> feeds = new HashMap<>();
        for (InputSpec in : spec.inputs()) {
            feeds.put(in.name(), in.kind() == InputSpec.Kind.IMAGE ? GraphAssembler.Feed.IMAGE
                    : conv ? GraphAssembler.Feed.SEQUENCE : GraphAssembler.Feed.FLAT);
        }
        GraphAssembler g = new GraphAssembler(spec, feeds);
        List<String> branches = new ArrayList<>();
        for (InputSpec in : spec.inputs()) {
            if (in.kind() == InputSpec.Kind.IMAGE) {
                branches.add(g.imageBranch(in.name()));
            } else if (conv) {
                branches.add(g.conv1d(in.name()));
            } else {
                branches.add(g.dense(in.name(), spec.model().branchHidden(), false));
            }
        }
        String head = g.dense(g.merge(branches), spec.model().hidden(), true);
        return g.configuration(head, true);
    }
}
