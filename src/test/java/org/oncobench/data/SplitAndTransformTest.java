package org.oncobench.data;

import org.junit.jupiter.api.Test;
import org.oncobench.config.ExperimentConfig.MatrixTableConfig;
import org.oncobench.config.ExperimentConfig.SelectConfig;
import org.oncobench.config.ExperimentConfig.SplitConfig;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitAndTransformTest {
    /** 50 samples x 4 drugs, one 3-column expression table; column 2 varies most. */
    static Cohort cohort(float testShift) {
        int ns = 50;
        int nd = 4;
        List<String> samples = new ArrayList<>();
        float[] expr = new float[ns * 3];
        for (int s = 0; s < ns; s++) {
            samples.add("s" + s);
            expr[s * 3] = s % 2;
            expr[s * 3 + 1] = 5;
            expr[s * 3 + 2] = s * 10 + testShift;
        }
        int[] rowSample = new int[ns * nd];
        int[] rowDrug = new int[ns * nd];
        float[] y = new float[ns * nd];
        for (int i = 0; i < ns * nd; i++) {
            rowSample[i] = i / nd;
            rowDrug[i] = i % nd;
            y[i] = i;
        }
        FeatureTable t = new FeatureTable("expression", samples, List.of("a", "b", "c"), expr);
        return new Cohort("y", samples, samples, List.of("d0", "d1", "d2", "d3"), rowSample, rowDrug, y, List.of(t), List.of(), Map.of(),
                new Cohort.JoinReport(y.length, y.length, 0, List.of(), 0, List.of()));
    }

    @Test
    void cellBlindKeepsEverySampleOnOneSide() {
        Cohort c = cohort(0);
        SplitAssignment split = new SplitPlanner().plan(c, new SplitConfig("cell-blind", 0.2, 0.1), 1, false).get(0).assignment();
        Map<Integer, Byte> partOfSample = new java.util.HashMap<>();
        for (int r = 0; r < c.size(); r++) {
            Byte before = partOfSample.putIfAbsent(c.rowSample()[r], split.parts()[r]);
            assertTrue(before == null || before == split.parts()[r], "sample " + c.rowSample()[r] + " crosses parts");
        }
        assertEquals(40, split.rows(SplitAssignment.TEST).length); // 10 samples x 4 drugs
        assertEquals(20, split.rows(SplitAssignment.VALIDATION).length);
        assertEquals(140, split.rows(SplitAssignment.TRAIN).length);
    }

    @Test
    void splitsAreReproduciblePerSeed() {
        Cohort c = cohort(0);
        SplitConfig config = new SplitConfig("mixed", 0.25, 0.0);
        assertArrayEquals(mixed(c, config, 3).parts(), mixed(c, config, 3).parts());
        assertFalse(java.util.Arrays.equals(mixed(c, config, 3).parts(), mixed(c, config, 4).parts()));
        SplitAssignment mixed = mixed(c, config, 3);
        assertEquals(50, mixed.rows(SplitAssignment.TEST).length);
        assertEquals(0, mixed.rows(SplitAssignment.VALIDATION).length);
        Set<Integer> testSamples = new HashSet<>();
        for (int r : mixed.rows(SplitAssignment.TEST)) {
            testSamples.add(c.rowSample()[r]);
        }
        assertTrue(testSamples.size() > 20, "a mixed split spreads samples: " + testSamples.size());
    }

    @Test
    void transformsNeverSeeTestRows() {
        SplitConfig config = new SplitConfig("cell-blind", 0.2, 0.1);
        Map<String, MatrixTableConfig> tables = Map.of("expression", new MatrixTableConfig("x", "id", new SelectConfig(2, null), "fail"));
        Cohort original = cohort(0);
        SplitAssignment split = new SplitPlanner().plan(original, config, 5, false).get(0).assignment();
        // The same cohort with wildly different test-sample values: fitted transforms must not change.
        Cohort perturbed = perturbTestSamples(original, split);
        FittedTransforms a = new TransformFitter().fit(original, split, tables);
        FittedTransforms b = new TransformFitter().fit(perturbed, split, tables);
        assertArrayEquals(a.sampleTables().get(0).mean(), b.sampleTables().get(0).mean());
        assertArrayEquals(a.sampleTables().get(0).sd(), b.sampleTables().get(0).sd());
        assertArrayEquals(a.sampleTables().get(0).columns(), b.sampleTables().get(0).columns());
        assertEquals(a.targetMean(), b.targetMean());
        // top_variance 2 keeps the two varying columns, in their original order
        assertEquals(List.of("a", "c"), a.sampleTables().get(0).columnNames());
        // standardised training columns have mean 0
        Cohort prepared = a.apply(original);
        double sum = 0;
        int n = 0;
        Set<Integer> trainSamples = new HashSet<>();
        for (int r : split.rows(SplitAssignment.TRAIN)) {
            trainSamples.add(original.rowSample()[r]);
        }
        for (int s : trainSamples) {
            sum += prepared.sampleTables().get(0).get(s, 1);
            n++;
        }
        assertEquals(0.0, sum / n, 1e-4);
        assertNotEquals(a.sampleTables().get(0).mean()[1], TransformFitter.meanAndVariance(original.sampleTables().get(0),
                java.util.stream.IntStream.range(0, 50).toArray())[0][2]);
    }

    static SplitAssignment mixed(Cohort c, SplitConfig config, long seed) {
        return new SplitPlanner().plan(c, config, seed, false).get(0).assignment();
    }

    private static Cohort perturbTestSamples(Cohort c, SplitAssignment split) {
        FeatureTable t = c.sampleTables().get(0);
        float[] values = new float[t.rows() * t.width()];
        Set<Integer> heldOut = new HashSet<>();
        for (int r = 0; r < c.size(); r++) {
            if (split.parts()[r] != SplitAssignment.TRAIN) {
                heldOut.add(c.rowSample()[r]);
            }
        }
        float[] y = c.targets().clone();
        for (int r = 0; r < c.size(); r++) {
            if (split.parts()[r] != SplitAssignment.TRAIN) {
                y[r] = 1e6f;
            }
        }
        for (int s = 0; s < t.rows(); s++) {
            for (int k = 0; k < t.width(); k++) {
                values[s * t.width() + k] = heldOut.contains(s) ? 1000 + 77 * k : t.get(s, k);
            }
        }
        FeatureTable p = new FeatureTable(t.name(), t.ids(), t.columns(), values);
        return new Cohort(c.targetName(), c.sampleIds(), c.sampleLabels(), c.drugIds(), c.rowSample(), c.rowDrug(), y, List.of(p), List.of(),
                c.groups(), c.joinReport());
    }
}
