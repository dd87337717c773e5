package org.oncobench.eval;

import org.junit.jupiter.api.Test;
import org.oncobench.data.Cohort;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The elastic nets' importances: their largest coefficients by |value|, named, in their settings (so in metrics.json). */
class TopCoefficientsTest {

    @Test
    void largestByAbsoluteValueWithNamesZerosLeftOut() {
        List<Map<String, Object>> top = TopCoefficients.of(new double[]{0.1, -2, 0, 0.5, 2, 0.7}, List.of("a", "b", "c", "d", "e"), 4);
        assertEquals(List.of("b", "e", "d", "a"), top.stream().map(m -> m.get("feature")).toList(), "ties keep feature order; the intercept slot is not named");
        assertEquals(-2.0, top.get(0).get("coefficient"));
        assertEquals(2, TopCoefficients.of(new double[]{0, 1, 0, 3}, List.of("a", "b", "c", "d"), 10).size());
    }

    @SuppressWarnings("unchecked")
    @Test
    void elasticNetsReportTheGenesThatCarryTheSignal() {
        // y = 1 + x0 - x1 + 0.5 x2 + 0.1 noise over 40 features
        Cohort c = LinearBaselinesTest.wide(400, 40, 3);
        ElasticNet en = ElasticNet.fit(c, IntStream.range(0, 400).toArray(), 1, null);
        List<Map<String, Object>> top = (List<Map<String, Object>>) en.settings().get("top_coefficients");
        assertEquals(List.of("x:g0", "x:g1", "x:g2"), top.subList(0, 3).stream().map(m -> m.get("feature")).toList(), top.toString());
        assertEquals(1.0, (double) top.get(0).get("coefficient"), 0.05);
        assertEquals(-1.0, (double) top.get(1).get("coefficient"), 0.05);
        assertEquals(0.5, (double) top.get(2).get("coefficient"), 0.05);
        assertTrue(top.size() <= ElasticNet.TOP);

        // one elastic net per drug: drug d's own gene d leads, with its sign (-1)^d
        Cohort pairs = SingleDrugModelsTest.cohort(200, 4, 40, 0, 160);
        int[] train = IntStream.range(0, pairs.size()).filter(r -> pairs.rowSample()[r] < 160).toArray();
        SingleDrugModels sd = SingleDrugModels.fit(SingleDrugModels.Kind.ELASTIC_NET, pairs, train, 3, 1);
        Map<String, Object> perDrug = (Map<String, Object>) sd.settings().get("per_drug");
        for (int d = 0; d < 4; d++) {
            List<Map<String, Object>> drugTop = (List<Map<String, Object>>) ((Map<String, Object>) perDrug.get("d" + d)).get("top_coefficients");
            assertEquals("expression:g" + d, drugTop.get(0).get("feature"), drugTop.toString());
            assertEquals(d % 2 == 0 ? 1.0 : -1.0, Math.signum((double) drugTop.get(0).get("coefficient")));
            assertEquals("expression:g39", drugTop.get(1).get("feature"), "the shared gene next: " + drugTop);
            assertTrue(drugTop.size() <= ElasticNet.TOP_PER_DRUG);
        }
    }
}
