package org.oncobench.data;

import org.oncobench.config.ExperimentConfig.SplitConfig;

/** Whole samples (cell lines) go to one part: no sample is on both sides, so test cell lines are unseen. */
public final class CellBlindSplit implements Splitter {
    @Override
    public SplitAssignment assign(Cohort cohort, SplitConfig config, long seed) {
        byte[] samplePart = Splitter.partitionUnits(cohort.sampleIds().size(), config, seed, "samples");
        byte[] parts = new byte[cohort.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = samplePart[cohort.rowSample()[i]];
        }
        return new SplitAssignment("cell-blind", parts);
    }
}
