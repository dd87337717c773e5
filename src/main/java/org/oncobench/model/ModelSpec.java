package org.oncobench.model;

import org.oncobench.config.ExperimentConfig.ModelConfig;
import org.oncobench.config.ExperimentConfig.OptimizerConfig;

import java.util.List;

/**
 * What a network builder needs: the architecture, the optimiser, the inputs in feeding order, the seed, and for
 * classification the class weights (null for regression).
 */
public record ModelSpec(ModelConfig model, OptimizerConfig optimizer, List<InputSpec> inputs, long seed, double[] classWeights) {
    public boolean classification() {
        return classWeights != null;
    }

    public int inputWidth() {
        return inputs.stream().mapToInt(InputSpec::width).sum();
    }
}
