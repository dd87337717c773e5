package org.oncobench.model;

import org.oncobench.config.ExperimentConfig.ModelConfig;
import org.oncobench.config.ExperimentConfig.OptimizerConfig;

import java.util.List;

/**
 * What a network builder needs: the architecture, the optimiser, the inputs in feeding order, the seed, for
 * classification the class weights (null for regression), and which of oncobench's replacements for DL4J's per-step
 * code the network uses ({@link Speedups}).
 */
public record ModelSpec(ModelConfig model, OptimizerConfig optimizer, List<InputSpec> inputs, long seed, double[] classWeights,
                        Speedups speedups) {
    /** With the default speed-ups ({@link Speedups#fromSystemProperties()}). */
    public ModelSpec(ModelConfig model, OptimizerConfig optimizer, List<InputSpec> inputs, long seed, double[] classWeights) {
        this(model, optimizer, inputs, seed, classWeights, Speedups.fromSystemProperties());
    }

    public ModelSpec withSpeedups(Speedups other) {
        return new ModelSpec(model, optimizer, inputs, seed, classWeights, other);
    }

    public boolean leanLayers() {
        return speedups.leanLayers();
    }

    public boolean classification() {
        return classWeights != null;
    }

    public int inputWidth() {
        return inputs.stream().mapToInt(InputSpec::width).sum();
    }
}
