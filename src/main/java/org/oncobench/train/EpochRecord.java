package org.oncobench.train;

import java.util.LinkedHashMap;
import java.util.Map;

/** One epoch: mean training loss (standardised target, MSE) and validation RMSE in target units (NaN without validation). */
public record EpochRecord(int epoch, double trainLoss, double validationRmse, double seconds) {
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("train_loss", trainLoss);
        m.put("validation_rmse", Double.isFinite(validationRmse) ? validationRmse : null);
        m.put("seconds", seconds);
        return m;
    }
}
