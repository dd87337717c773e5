package org.oncobench.eval;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Prior correction and calibration error against hand-computed values. */
class CalibrationTest {
    @Test
    void balancedProbabilitiesMoveToTheTrainingPrevalence() {
        // p' = p pi / (p pi + (1 - p)(1 - pi))
        assertEquals(0.2, Calibration.toTrainingPrevalence(0.5, 0.2), 1e-12);              // 0.1 / (0.1 + 0.4)
        assertEquals(0.2 / 0.35, Calibration.toTrainingPrevalence(0.8, 0.25), 1e-12);      // 0.2 / (0.2 + 0.15)
        assertEquals(0.5, Calibration.toTrainingPrevalence(0.9, 0.1), 1e-12);              // 0.09 / (0.09 + 0.09)
        assertEquals(0.7, Calibration.toTrainingPrevalence(0.7, 0.5), 1e-12);              // a balanced training set: unchanged
    }

    @Test
    void expectedCalibrationErrorOverTenBins() {
        // bins: [0.9, 1.0): 0.95 observed 1 -> 0.05; [0.1, 0.2): 0.15 observed 0 -> 0.15;
        // [0.6, 0.7): 0.65 and 0.62, both observed 1 -> mean 0.635, gap 0.365 over 2 rows. ECE = (0.05 + 0.15 + 2 x 0.365) / 4
        double[] observed = {1, 0, 1, 1};
        double[] p = {0.95, 0.15, 0.65, 0.62};
        assertEquals((0.05 + 0.15 + 2 * 0.365) / 4, Calibration.expectedCalibrationError(observed, p), 1e-12);
        List<Map<String, Object>> bins = Calibration.reliability(observed, p);
        assertEquals(3, bins.size());
        assertEquals("0.6-0.7", bins.get(1).get("bin"));
        assertEquals(2, bins.get(1).get("n"));
        assertEquals(0.635, (double) bins.get(1).get("mean_predicted"), 1e-12);
    }
}
