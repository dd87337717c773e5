package org.oncobench.eval;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-group metrics against values computed independently (Python, the textbook formulas). */
class GroupedMetricsTest {
    private static final double EPS = 1e-12;

    @Test
    void groupsBelowTheMinimumSizeOrWithoutAMetricStayListedButOutOfTheSummary() {
        String[] group = {"a", "a", "a", "a", "b", "b", "c", "c", "c", "d", "d", "d"};
        double[] observed = {1, 2, 3, 4, 10, 20, 1, 2, 3, 5, 1, 3};
        double[] predicted = {1.1, 1.9, 3.2, 3.7, 11, 19, 2, 2, 2, 4, 2, 2.5};
        GroupedMetrics g = GroupedMetrics.of(group, observed, predicted, false);
        assertEquals(List.of("a", "b", "c", "d"), List.copyOf(g.groups().keySet()), "every group is listed");
        // a: Pearson 0.9873240152080139; d: 0.9607689228305228; b has 2 rows (< 3), c constant predictions (Pearson undefined)
        assertEquals(0.9873240152080139, g.groups().get("a").groupMetric(), EPS);
        assertTrue(Double.isNaN(g.groups().get("c").groupMetric()));
        assertEquals(2, g.groupsWithMetric());
        assertEquals(0.9740464690192684, g.mean(), EPS);
        assertEquals(0.9740464690192684, g.median(), EPS, "median of two = their mean");
        Map<String, Object> summary = g.summaryMap();
        assertEquals(4, summary.get("groups"));
        // RMSE summarised over groups of at least 3 rows: a 0.19364916731037085, c sqrt(2/3), d 0.8660254037844386
        double rmseC = Math.sqrt(2.0 / 3.0);
        assertEquals((0.19364916731037085 + rmseC + 0.8660254037844386) / 3, (double) summary.get("rmse_mean"), EPS);
        assertEquals(rmseC, (double) summary.get("rmse_median"), EPS);
        assertNull(g.groups().get("c").toMap().get("pearson"), "an undefined metric is null in JSON");
    }
}
