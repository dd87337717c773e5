package org.oncobench.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One epoch: mean training loss, and the validation metric (RMSE in target units for regression, AUC for
 * classification; NaN without validation rows).
 */
public record EpochRecord(int epoch, double trainLoss, double validationMetric, double seconds) {
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("train_loss", trainLoss);
        m.put("validation", Double.isFinite(validationMetric) ? validationMetric : null);
        m.put("seconds", seconds);
        return m;
    }
}
