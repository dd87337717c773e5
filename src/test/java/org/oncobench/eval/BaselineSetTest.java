package org.oncobench.eval;

import org.junit.jupiter.api.Test;
import org.oncobench.data.Cohort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaselineSetTest {
    @Test
    void aFailingBaselineIsSkippedWithItsReasonAndTheOthersStillFit() {
        Cohort c = LinearBaselinesTest.wide(10, 3, 1);
        List<String> messages = new ArrayList<>();
        // one training row: ridge cannot centre on it and refuses; the global mean still fits
        BaselineSet set = BaselineSet.fit(List.of("global_mean", "ridge"), c, new int[]{0}, new int[0], null, 1, messages::add);
        assertEquals(Map.of("ridge", "ridge needs at least 2 training rows, got 1"), set.skipped());
        Map<String, double[]> predicted = set.predict(c, new int[]{5, 6});
        assertEquals(List.of("global_mean"), List.copyOf(predicted.keySet()));
        assertArrayEquals(new double[]{c.targets()[0], c.targets()[0]}, predicted.get("global_mean"), 1e-6);
        assertTrue(messages.get(0).startsWith("warning: baseline ridge skipped: ridge needs at least 2 training rows"), messages.toString());
    }

    @Test
    void ridgeRecordsTheChosenPenalty() {
        Cohort c = LinearBaselinesTest.wide(60, 5, 2);
        int[] train = java.util.stream.IntStream.range(0, 40).toArray();
        int[] val = java.util.stream.IntStream.range(40, 50).toArray();
        BaselineSet set = BaselineSet.fit(List.of("ridge"), c, train, val, null, 1, m -> { });
        Map<String, Object> settings = set.settings().get("ridge");
        // lambda is n x one of {0.001, 0.01, 0.1, 1}, on 40 training rows; 5 features < 40 rows: the primal system
        assertTrue(List.of(0.04, 0.4, 4.0, 40.0).stream().anyMatch(l -> Math.abs(l - (double) settings.get("lambda")) < 1e-9), settings.toString());
        assertEquals("primal", settings.get("system"));
    }

    /**
     * metrics.json has the same keys in every run of one experiment: a fitted baseline's wall time is always recorded
     * (fit_seconds, which comparisons of runs ignore), not only when the fit took 10 ms or more - a tiny ridge fit came
     * out with the key in one run and without it in the next (DeterminismIT's k-fold case).
     */
    @Test
    void theWallTimeIsRecordedHoweverFastTheFit() {
        Cohort c = LinearBaselinesTest.wide(20, 5, 2);
        int[] train = java.util.stream.IntStream.range(0, 8).toArray();
        BaselineSet set = BaselineSet.fit(List.of("ridge"), c, train, new int[0], null, 1, m -> { });
        assertEquals(List.of("lambda", "system", "fit_seconds"), List.copyOf(set.settings().get("ridge").keySet()));
        assertTrue((double) set.settings().get("ridge").get("fit_seconds") >= 0);
    }
}
