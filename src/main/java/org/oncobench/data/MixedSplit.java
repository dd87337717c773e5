package org.oncobench.data;

import org.oncobench.config.ExperimentConfig.SplitConfig;

/**
 * Random rows: the same cell line and drug appear on both sides. Optimistic by construction; shown for comparison
 * with the literature, never as the headline.
 */
public final class MixedSplit implements Splitter {
    @Override
    public SplitAssignment assign(Cohort cohort, SplitConfig config, long seed) {
        return new SplitAssignment("mixed", Splitter.partitionUnits(cohort.size(), config, seed, "rows"));
    }
}
