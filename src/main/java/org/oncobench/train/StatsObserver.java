package org.oncobench.train;

import org.deeplearning4j.core.storage.StatsStorage;

/** Watches a run's DL4J statistics storage while it is open, e.g. to show it live in DL4J's training UI. */
public interface StatsObserver {
    StatsObserver NONE = new StatsObserver() {
        @Override
        public void opened(String runId, StatsStorage storage) {
        }

        @Override
        public void closing(String runId, StatsStorage storage) {
        }
    };

    /** The run's storage is open and training is about to write to it. */
    void opened(String runId, StatsStorage storage);

    /** The run is done with its storage, which closes right after this returns. */
    void closing(String runId, StatsStorage storage);
}
