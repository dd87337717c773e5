package org.oncobench.model;

import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.oncobench.config.ExperimentConfig.OptimizerConfig;

/** Translations from config words to DL4J objects, shared by the architectures. */
final class Layers {
    private Layers() {
    }

    static Activation activation(String name) {
        return switch (name) {
            case "relu" -> Activation.RELU;
            case "leakyrelu" -> Activation.LEAKYRELU;
            case "elu" -> Activation.ELU;
            case "tanh" -> Activation.TANH;
            case "swish" -> Activation.SWISH;
            default -> throw new IllegalArgumentException("activation " + name);
        };
    }

    static IUpdater updater(OptimizerConfig optimizer) {
        return switch (optimizer.kind()) {
            case "adam" -> new Adam(optimizer.lr());
            case "sgd" -> new Sgd(optimizer.lr());
            default -> throw new IllegalArgumentException("optimizer " + optimizer.kind());
        };
    }
}
