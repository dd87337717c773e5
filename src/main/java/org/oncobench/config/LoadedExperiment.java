package org.oncobench.config;

import java.nio.file.Path;

/**
 * A validated experiment with the YAML it resolves to (overrides applied, defaults filled, paths absolute) and the
 * SHA-256 of that YAML, which identifies the configuration.
 */
public record LoadedExperiment(Path file, ExperimentConfig config, String resolvedYaml, String configHash) {
}
