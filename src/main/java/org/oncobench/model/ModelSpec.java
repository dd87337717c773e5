package org.oncobench.model;

import org.oncobench.config.ExperimentConfig.ModelConfig;
import org.oncobench.config.ExperimentConfig.OptimizerConfig;

/**
 * What a network builder needs: the architecture, the optimiser, the input width, the seed, and for classification
 * the class weights (null for regression).
 */
public record ModelSpec(ModelConfig model, OptimizerConfig optimizer, int inputWidth, long seed, double[] classWeights) {
    public boolean classification() {
        return classWeights != null;
    }
}
