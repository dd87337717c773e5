package org.oncobench.model;

import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.CycleSchedule;
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

    /**
     * The one-cycle policy's annealing epochs: about a tenth, and such that the rest is even. M2.1's CycleSchedule splits
     * the rest into two halves by integer division, and with an odd rest it jumps back to the peak rate one epoch before
     * annealing (10 epochs, 1 annealing: 0.001 ... 0.00325, 0.01, 0.001).
     */
    static int oneCycleAnnealing(int epochs) {
        int annealing = Math.max(1, epochs / 10);
        return (epochs - annealing) % 2 == 0 ? annealing : annealing + 1;
    }

    /** The updater with its learning-rate schedule (per epoch). AdamW is Adam plus decoupled weight decay (see GraphAssembler). */
    static IUpdater updater(OptimizerConfig optimizer, boolean fastAdam) {
        ISchedule schedule = switch (optimizer.schedule().kind()) {
            case "step" -> new StepSchedule(ScheduleType.EPOCH, optimizer.lr(), optimizer.schedule().gamma(), optimizer.schedule().every());
            case "exponential" -> new ExponentialSchedule(ScheduleType.EPOCH, optimizer.lr(), optimizer.schedule().gamma());
            case "cosine" -> new CosineSchedule(optimizer.lr(), optimizer.schedule().epochs(), optimizer.schedule().warmupEpochs());
            // DL4J's one-cycle policy: lr/10 linearly up to lr and back over the epochs but the last tenth, which anneal
            case "one_cycle" -> new CycleSchedule(ScheduleType.EPOCH, optimizer.lr() / 10, optimizer.lr(), optimizer.schedule().epochs(),
                    oneCycleAnnealing(optimizer.schedule().epochs()), 0.1);
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
