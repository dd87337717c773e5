package org.oncobench.eval;

import org.junit.jupiter.api.Test;
import org.oncobench.data.Cohort;
import org.oncobench.data.FeatureTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SingleDrugModelsTest {

    /**
     * {@code cells} cell lines x {@code drugs} drugs, {@code genes} Gaussian genes; drug d responds to gene d with sign
     * (-1)^d on top of a drug offset of 2d (so a pooled model without drug features cannot fit it, a per-drug one can).
     * Cell lines from {@code testFrom} on are test rows; {@code poison} != 0 replaces their targets.
     */
    static Cohort cohort(int cells, int drugs, int genes, double poison, int testFrom) {
        Random r = new Random(7);
        List<String> ids = new ArrayList<>();
        List<String> cols = new ArrayList<>();
        float[] x = new float[cells * genes];
        for (int i = 0; i < cells; i++) {
            ids.add("c" + i);
            for (int j = 0; j < genes; j++) {
                x[i * genes + j] = (float) r.nextGaussian();
            }
        }
        for (int j = 0; j < genes; j++) {
            cols.add("g" + j);
        }
        List<String> drugIds = new ArrayList<>();
        float[] fp = new float[drugs * drugs];
        for (int d = 0; d < drugs; d++) {
            drugIds.add("d" + d);
            fp[d * drugs + d] = 1;
        }
        int n = cells * drugs;
        int[] rs = new int[n];
        int[] rd = new int[n];
        float[] y = new float[n];
        Random noise = new Random(99);
        for (int i = 0; i < cells; i++) {
            for (int d = 0; d < drugs; d++) {
                int row = i * drugs + d;
                rs[row] = i;
                rd[row] = d;
                y[row] = (float) (2 * d + (d % 2 == 0 ? 1.5 : -1.5) * x[i * genes + d] + x[i * genes + genes - 1] + 0.3 * r.nextGaussian());
                if (poison != 0 && i >= testFrom) {
                    y[row] = (float) (poison * noise.nextGaussian());
                }
            }
        }
        List<String> dcols = new ArrayList<>();
        for (int d = 0; d < drugs; d++) {
            dcols.add("fp" + d);
        }
        return new Cohort("y", ids, ids, drugIds, rs, rd, y, List.of(new FeatureTable("expression", ids, cols, x)),
                List.of(new FeatureTable("fingerprints", drugIds, dcols, fp)), Map.of(), new Cohort.JoinReport(n, n, 0, List.of(), 0, List.of()));
    }

    private static int[] rows(Cohort c, boolean test) {
        return IntStream.range(0, c.size()).filter(r -> (c.rowSample()[r] >= 160) == test).toArray();
    }

    @Test
    void oneElasticNetPerDrugFindsEachDrugsGeneAndIgnoresTestRows() {
        Cohort clean = cohort(200, 4, 40, 0, 160);
        Cohort poisoned = cohort(200, 4, 40, 1e4, 160);
        SingleDrugModels a = SingleDrugModels.fit(SingleDrugModels.Kind.ELASTIC_NET, clean, rows(clean, false), 3, 2);
        SingleDrugModels b = SingleDrugModels.fit(SingleDrugModels.Kind.ELASTIC_NET, poisoned, rows(poisoned, false), 3, 1);
        assertEquals(a.settings().get("per_drug"), b.settings().get("per_drug"), "test rows change no chosen value (and threads none)");
        int[] test = rows(clean, true);
        double[] p = a.predict(clean, test);
        assertArrayEquals(p, b.predict(poisoned, test));
        assertTrue(org.oncobench.stats.PairMoments.pearson(TreeEnsembleTest.observed(clean, test), p) > 0.9);
        assertEquals(4, a.settings().get("drugs_fitted"));
        assertEquals(List.of(), a.fallbackDrugs());
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> perDrug = (Map<String, Map<String, Object>>) a.settings().get("per_drug");
        assertTrue(perDrug.get("d0").containsKey("l1_ratio") && perDrug.get("d0").containsKey("lambda"));
    }

    @Test
    void aDrugWithTooFewTrainingRowsFallsBackToItsMeanAndIsNamed() {
        Cohort c = cohort(200, 3, 20, 0, 160);
        // drug d2 keeps only 10 training rows (fewer than MIN_ROWS), the others all of theirs
        int[] train = IntStream.of(rows(c, false)).filter(r -> c.rowDrug()[r] != 2 || c.rowSample()[r] < 10).toArray();
        for (SingleDrugModels.Kind kind : SingleDrugModels.Kind.values()) {
            SingleDrugModels m = SingleDrugModels.fit(kind, c, train, 1, 2);
            assertEquals(List.of("d2"), m.fallbackDrugs(), kind.name());
            int[] d2 = IntStream.of(rows(c, true)).filter(r -> c.rowDrug()[r] == 2).toArray();
            double mean = IntStream.of(train).filter(r -> c.rowDrug()[r] == 2).mapToDouble(r -> c.targets()[r]).average().orElseThrow();
            for (double v : m.predict(c, d2)) {
                assertEquals(mean, v, 1e-12);
            }
        }
    }

    @Test
    void perDrugForestsAreDeterministicAndLearnTheDrugs() {
        Cohort c = cohort(200, 3, 20, 0, 160);
        int[] test = rows(c, true);
        SingleDrugModels a = SingleDrugModels.fit(SingleDrugModels.Kind.RF, c, rows(c, false), 4, 2);
        SingleDrugModels b = SingleDrugModels.fit(SingleDrugModels.Kind.RF, c, rows(c, false), 4, 1);
        assertArrayEquals(a.predict(c, test), b.predict(c, test));
        assertEquals(a.settings().get("per_drug"), b.settings().get("per_drug"));
        assertTrue(org.oncobench.stats.PairMoments.pearson(TreeEnsembleTest.observed(c, test), a.predict(c, test)) > 0.8);
    }
}
