package org.oncobench.train;

import org.deeplearning4j.core.storage.StatsStorageRouter;

import java.util.function.Consumer;

/**
 * What a fold's training writes to besides its result: checkpoints (single splits), DL4J statistics, the live
 * per-epoch history, and whether to continue from the latest checkpoint.
 */
public record RunContext(Checkpointer checkpoints, StatsStorageRouter stats, String statsSession, Consumer<EpochRecord> onEpoch,
                         Consumer<java.util.List<EpochRecord>> onRestore, boolean resume) {
}
