package org.oncobench.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * Where training stands after an epoch, saved beside each checkpoint: epochs done, the history so far, and the early
 * stopping bookkeeping (best validation metric, its epoch, epochs since it improved). RNG state needs no saving:
 * batch order and dropout are seeded from (seed, epoch).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrainingState(@JsonProperty("epoch") int epoch, @JsonProperty("history") List<EpochRecord> history,
                            @JsonProperty("best_metric") Double bestMetric, @JsonProperty("best_epoch") int bestEpoch,
                            @JsonProperty("since_best") int sinceBest, @JsonProperty("stopped_early") boolean stoppedEarly) {
    public static TrainingState fresh() {
        return new TrainingState(0, List.of(), null, 0, 0, false);
    }
}
