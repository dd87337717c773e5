package org.oncobench.model;

import org.oncobench.config.ExperimentConfig.ModelConfig;
import org.oncobench.config.ExperimentConfig.OptimizerConfig;

/** What a network builder needs: the architecture, the optimiser, the input width and the seed. */
public record ModelSpec(ModelConfig model, OptimizerConfig optimizer, int inputWidth, long seed) {
}
