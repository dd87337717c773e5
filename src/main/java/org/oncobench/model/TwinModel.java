package org.oncobench.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One branch per input type, as in tCNNS: a sample branch over all per-sample inputs and a drug branch over the
 * fingerprints, each dense or 1D-convolutional ({@code model.branch}), concatenated into a dense head.
 */
public final class TwinModel implements NetworkBuilder {
    @Override
    public ComputationGraphConfiguration configure(ModelSpec spec) {
        boolean conv = "conv1d".equals(spec.model().branch());
        Map<String, GraphAssembler.Feed> feeds = new HashMap<>();
        List<String> samples = new ArrayList<>();
        List<String> drugs = new ArrayList<>();
        for (InputSpec in : spec.inputs()) {
            (in.kind() == InputSpec.Kind.DRUG ? drugs : samples).add(in.name());
            if (conv) {
                feeds.put(in.name(), GraphAssembler.Feed.SEQUENCE);
            }
        }
        GraphAssembler g = new GraphAssembler(spec, feeds);
        List<String> branches = new ArrayList<>();
        for (List<String> side : List.of(samples, drugs)) {
            if (side.isEmpty()) {
                continue;
            }
            if (conv) {
                // 1D convolutions run per input (their lengths differ), then the side's embeddings are concatenated.
                branches.add(g.merge(side.stream().map(g::conv1d).toList()));
            } else {
                branches.add(g.dense(g.merge(side), spec.model().branchHidden(), false));
            }
        }
        String head = g.dense(g.merge(branches), spec.model().hidden(), true);
        return g.configuration(head, true);
    }
}
