package org.oncobench.train;

import org.deeplearning4j.core.storage.StatsStorageRouter;

import java.util.List;
import java.util.function.Consumer;

/**
 * What a fold's training writes to besides its result: checkpoints (single splits), DL4J statistics, the live
 * per-epoch history, whether to continue from the latest checkpoint, one-line stage messages, and a hook that receives
 * the trained model before it is scored (so a run saves it before anything else can fail).
 */
public record RunContext(Checkpointer checkpoints, StatsStorageRouter stats, String statsSession, Consumer<EpochRecord> onEpoch,
                         Consumer<List<EpochRecord>> onRestore, boolean resume, Consumer<String> status, Consumer<TrainedModel> onTrained) {

    /** A fold trained and scored with nothing recorded beside it (tests, benchmarks). */
    public static RunContext none() {
        return new RunContext(null, null, null, null, null, false, message -> { }, model -> { });
    }
}
