package org.oncobench.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One epoch: mean training loss, and the validation metric (RMSE in target units for regression, AUC for
 * classification; NaN without validation rows). Its wall time is kept for progress and timing, but left out of
 * {@link #toMap()} (history.jsonl, metrics.json's history), which the same experiment reproduces bit for bit.
 */
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public record EpochRecord(@com.fasterxml.jackson.annotation.JsonProperty("epoch") int epoch,
                          @com.fasterxml.jackson.annotation.JsonProperty("train_loss") double trainLoss,
                          @com.fasterxml.jackson.annotation.JsonProperty("validation_metric") double validationMetric,
                          @com.fasterxml.jackson.annotation.JsonProperty("seconds") double seconds) {
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("train_loss", trainLoss);
        m.put("validation", Double.isFinite(validationMetric) ? validationMetric : null);
        return m;
    }
}
