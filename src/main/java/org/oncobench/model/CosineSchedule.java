package org.oncobench.model;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A per-epoch cosine learning-rate schedule with linear warm-up ({@code training.optimizer.schedule: {kind: cosine,
 * warmup_epochs: W}}): epochs 0..W-1 (DL4J counts epochs from 0) rise linearly to {@code lr} (lr (e + 1) / (W + 1)),
 * then the rate follows half a cosine from {@code lr} at epoch W to 0 after the last of {@code epochs} epochs:
 * lr (1 + cos(pi (e - W) / (epochs - W))) / 2. ND4J 1.0.0-M2.1 has no cosine schedule (its {@code CycleSchedule} is
 * the linear one-cycle policy, which {@code kind: one_cycle} uses). Serialised with the network's configuration JSON by
 * its class name and fields, so a saved model reloads with it.
 */
public final class CosineSchedule implements ISchedule {
    private final double lr;
    private final int epochs;
    private final int warmupEpochs;

    public CosineSchedule(@JsonProperty("lr") double lr, @JsonProperty("epochs") int epochs, @JsonProperty("warmupEpochs") int warmupEpochs) {
        if (epochs < 1 || warmupEpochs < 0 || warmupEpochs >= epochs) {
            throw new IllegalArgumentException("cosine schedule: need 0 <= warmup epochs (" + warmupEpochs + ") < epochs (" + epochs + ")");
        }
        this.lr = lr;
        this.epochs = epochs;
        this.warmupEpochs = warmupEpochs;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        if (epoch < warmupEpochs) {
            return lr * (epoch + 1) / (warmupEpochs + 1);
        }
        double t = Math.min(1.0, (double) (epoch - warmupEpochs) / (epochs - warmupEpochs));
        return lr * 0.5 * (1 + Math.cos(Math.PI * t));
    }

    @Override
    public ISchedule clone() {
        return new CosineSchedule(lr, epochs, warmupEpochs);
    }

    @JsonProperty("lr")
    public double getLr() {
        return lr;
    }

    @JsonProperty("epochs")
    public int getEpochs() {
        return epochs;
    }

    @JsonProperty("warmupEpochs")
    public int getWarmupEpochs() {
        return warmupEpochs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CosineSchedule c && c.lr == lr && c.epochs == epochs && c.warmupEpochs == warmupEpochs;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(lr, epochs, warmupEpochs);
    }
}
