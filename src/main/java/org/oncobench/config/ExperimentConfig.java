package org.oncobench.config;

import java.util.List;
import java.util.Map;

/**
 * A validated experiment: immutable, paths absolute, defaults filled in. Built only by {@link ExperimentLoader}.
 */
public record ExperimentConfig(String name, long seed, DataConfig data, TaskConfig task, SplitConfig split,
                               ModelConfig model, TrainingConfig training, EvaluationConfig evaluation) {

    /** Where the rows (one per sample or sample-drug pair, with the target) come from. */
    public record RowsConfig(String file, String sample, String drug, String target) {
        public boolean hasDrug() {
            return drug != null;
        }
    }

    /** Maps the rows' sample ids (e.g. GDSC COSMIC_ID) to the feature tables' ids (e.g. DepMap ModelID). */
    public record SampleIdsConfig(String file, String from, String to) {
    }

    /** Training-only feature selection for a sample matrix. */
    public record SelectConfig(Integer topVariance) {
    }

    /** A sample x feature matrix (expression, mutations, copy number), keyed by an id column. */
    public record MatrixTableConfig(String file, String id, SelectConfig select) {
    }

    /** A drug table whose SMILES become Morgan/ECFP fingerprints. */
    public record FingerprintTableConfig(String file, String id, String smiles, int radius, int bits) {
    }

    /** A per-sample grouping column (tissue, batch) used for per-group metrics. */
    public record GroupConfig(String file, String id, String column) {
    }

    public record DataConfig(RowsConfig rows, SampleIdsConfig sampleIds, Map<String, MatrixTableConfig> samples,
                             Map<String, FingerprintTableConfig> drugs, Map<String, GroupConfig> groups,
                             double maxUnmatched) {
    }

    public record TaskConfig(String kind) {
    }

    public record SplitConfig(String kind, double test, double validation) {
    }

    public record ModelConfig(String kind, List<Integer> hidden, double dropout, String activation, double l2) {
    }

    public record OptimizerConfig(String kind, double lr) {
    }

    public record TrainingConfig(int epochs, int batch, OptimizerConfig optimizer) {
    }

    public record EvaluationConfig(List<String> baselines) {
    }
}
