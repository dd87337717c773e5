package org.oncobench.model;

import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;
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

    /** The updater with its learning-rate schedule (per epoch). AdamW is Adam plus decoupled weight decay (see GraphAssembler). */
    static IUpdater updater(OptimizerConfig optimizer, boolean fastAdam) {
        ISchedule schedule = switch (optimizer.schedule().kind()) {
            case "step" -> new StepSchedule(ScheduleType.EPOCH, optimizer.lr(), optimizer.schedule().gamma(), optimizer.schedule().every());
            case "exponential" -> new ExponentialSchedule(ScheduleType.EPOCH, optimizer.lr(), optimizer.schedule().gamma());
            default -> null;
        };
        return switch (optimizer.kind()) {
            // FastAdam: DL4J's Adam computed in a Java loop, bit-identical (see its javadoc and Speedups)
            case "adam", "adamw" -> fastAdam
                    ? (schedule == null ? new FastAdam(optimizer.lr()) : new FastAdam(schedule))
                    : (schedule == null ? new Adam(optimizer.lr()) : new Adam(schedule));
            case "sgd" -> schedule == null ? new Sgd(optimizer.lr()) : new Sgd(schedule);
            case "nesterovs" -> schedule == null ? new Nesterovs(optimizer.lr(), optimizer.momentum())
                    : new Nesterovs(schedule, optimizer.momentum());
            default -> throw new IllegalArgumentException("optimizer " + optimizer.kind());
        };
    }
}
