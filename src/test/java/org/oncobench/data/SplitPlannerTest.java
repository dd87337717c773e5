package org.oncobench.data;

import org.junit.jupiter.api.Test;
import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentConfig.SplitConfig;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitPlannerTest {
    /** 40 samples x 6 drugs; samples belong to 8 tissues; target = sample index parity (for stratification). */
    static Cohort cohort() {
        int ns = 40;
        int nd = 6;
        List<String> samples = java.util.stream.IntStream.range(0, ns).mapToObj(i -> "s" + i).toList();
        int[] rs = new int[ns * nd];
        int[] rd = new int[ns * nd];
        float[] y = new float[ns * nd];
        for (int i = 0; i < rs.length; i++) {
            rs[i] = i / nd;
            rd[i] = i % nd;
            y[i] = (i / nd) % 4 == 0 ? 1 : 0;
        }
        String[] tissue = samples.stream().map(s -> "t" + (Integer.parseInt(s.substring(1)) % 8)).toArray(String[]::new);
        return new Cohort("y", samples, samples, List.of("d0", "d1", "d2", "d3", "d4", "d5"), rs, rd, y, List.of(), List.of(),
                Map.of("tissue", tissue), new Cohort.JoinReport(rs.length, rs.length, 0, List.of(), 0, List.of()));
    }

    /** Asserts that no unit (given per row) has rows in two different parts of the split. */
    static void assertNoUnitCrosses(int[] unitOfRow, byte[] parts, String what) {
        Map<Integer, Byte> seen = new HashMap<>();
        for (int r = 0; r < parts.length; r++) {
            Byte before = seen.putIfAbsent(unitOfRow[r], parts[r]);
            assertTrue(before == null || before == parts[r], what + " " + unitOfRow[r] + " is on both sides");
        }
    }

    static int[] tissueOfRow(Cohort c) {
        return java.util.Arrays.stream(c.rowSample()).map(s -> c.groups().get("tissue")[s].hashCode()).toArray();
    }

    @Test
    void drugBlindAndGroupBlindKeepUnitsTogether() {
        Cohort c = cohort();
        byte[] drug = new SplitPlanner().plan(c, new SplitConfig("drug-blind", 0.34, 0.0), 1, false).get(0).assignment().parts();
        assertNoUnitCrosses(c.rowDrug(), drug, "drug");
        assertEquals(2 * 40, new SplitAssignment("x", drug).rows(SplitAssignment.TEST).length);
        byte[] group = new SplitPlanner().plan(c, new SplitConfig("group-blind", 0.25, 0.125, "tissue", 0, 0), 1, false).get(0)
                .assignment().parts();
        assertNoUnitCrosses(tissueOfRow(c), group, "tissue");
        assertEquals(2 * 5 * 6, new SplitAssignment("x", group).rows(SplitAssignment.TEST).length);
    }

    @Test
    void kfoldTestsEveryUnitOncePerRepeatAndNeverCrossesGroups() {
        Cohort c = cohort();
        List<Fold> folds = new SplitPlanner().plan(c, new SplitConfig("kfold", 0, 0.1, "tissue", 4, 2), 9, false);
        assertEquals(8, folds.size());
        for (int repeat = 0; repeat < 2; repeat++) {
            int[] timesTested = new int[c.size()];
            for (Fold f : folds) {
                if (f.repeat() != repeat) {
                    continue;
                }
                assertNoUnitCrosses(tissueOfRow(c), f.assignment().parts(), "tissue");
                for (int r : f.assignment().rows(SplitAssignment.TEST)) {
                    timesTested[r]++;
                }
                assertTrue(f.assignment().rows(SplitAssignment.VALIDATION).length > 0);
            }
            for (int t : timesTested) {
                assertEquals(1, t);
            }
        }
        // repeats reshuffle
        assertTrue(!java.util.Arrays.equals(folds.get(0).assignment().parts(), folds.get(4).assignment().parts()));
        // same seed, same folds
        List<Fold> again = new SplitPlanner().plan(c, new SplitConfig("kfold", 0, 0.1, "tissue", 4, 2), 9, false);
        for (int i = 0; i < folds.size(); i++) {
            assertTrue(java.util.Arrays.equals(folds.get(i).assignment().parts(), again.get(i).assignment().parts()));
        }
    }

    @Test
    void kfoldStratifiesPerRowClassification() {
        Cohort c = cohort();
        List<Fold> folds = new SplitPlanner().plan(c, new SplitConfig("kfold", 0, 0.0, "row", 5, 1), 3, true);
        // 60 positives of 240 rows: each fold of 48 test rows gets exactly 12
        for (Fold f : folds) {
            int pos = 0;
            for (int r : f.assignment().rows(SplitAssignment.TEST)) {
                pos += c.targets()[r] > 0.5 ? 1 : 0;
            }
            assertEquals(12, pos, "fold " + f.fold());
            assertEquals(48, f.assignment().rows(SplitAssignment.TEST).length);
        }
        Set<Integer> samplesInTest = new HashSet<>();
        for (int r : folds.get(0).assignment().rows(SplitAssignment.TEST)) {
            samplesInTest.add(c.rowSample()[r]);
        }
        assertTrue(samplesInTest.size() > 10, "row folds mix samples");
    }

    @Test
    void tooFewGroupsForTheFoldsIsAClearError() {
        Cohort c = cohort();
        String msg = assertThrows(BadInputException.class,
                () -> new SplitPlanner().plan(c, new SplitConfig("kfold", 0, 0.0, "tissue", 10, 1), 1, false)).getMessage();
        assertEquals("split.folds = 10 but there are only 8 'tissue' groups to spread over them", msg);
    }

    /** A per-sample cohort: n samples, the first {@code positives} of them positive. */
    static Cohort perSample(int n, int positives) {
        List<String> samples = java.util.stream.IntStream.range(0, n).mapToObj(i -> "p" + i).toList();
        int[] rs = new int[n];
        int[] rd = new int[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            rs[i] = i;
            rd[i] = -1;
            y[i] = i < positives ? 1 : 0;
        }
        return new Cohort("y", samples, samples, List.of(), rs, rd, y, List.of(), List.of(), Map.of(),
                new Cohort.JoinReport(n, n, 0, List.of(), 0, List.of()));
    }

    static int positivesIn(Cohort c, SplitAssignment a, byte part) {
        int p = 0;
        for (int r : a.rows(part)) {
            p += c.targets()[r] > 0.5 ? 1 : 0;
        }
        return p;
    }

    @Test
    void singleSplitsOfPerSampleClassificationAreStratified() {
        // 5 positives in 50: every seed must put a positive in test and in validation, in proportion
        Cohort c = perSample(50, 5);
        for (long seed = 0; seed < 40; seed++) {
            SplitAssignment a = new SplitPlanner().plan(c, new SplitConfig("cell-blind", 0.2, 0.2), seed, true).get(0).assignment();
            assertEquals(1, positivesIn(c, a, SplitAssignment.TEST), "seed " + seed);
            assertEquals(1, positivesIn(c, a, SplitAssignment.VALIDATION), "seed " + seed);
            assertEquals(3, positivesIn(c, a, SplitAssignment.TRAIN), "seed " + seed);
            assertEquals(10, a.rows(SplitAssignment.TEST).length, "seed " + seed);
            assertEquals(10, a.rows(SplitAssignment.VALIDATION).length, "seed " + seed);
        }
    }

    @Test
    void aPartWithOneClassIsRefusedWhereItsMetricIsNeeded() {
        // one positive in 30: it must train, so the test part has none and AUC is undefined
        BadInputException e = assertThrows(BadInputException.class, () -> SplitPlanner.checkClasses(perSample(30, 1),
                new SplitPlanner().plan(perSample(30, 1), new SplitConfig("mixed", 0.2, 0.1), 3, true), true));
        assertTrue(e.getMessage().contains("the test part holds a single class (6 negatives, 0 positives)"), e.getMessage());
    }

    @Test
    void kfoldValidationPartsAreStratifiedToo() {
        Cohort c = perSample(60, 12);
        for (Fold f : new SplitPlanner().plan(c, new SplitConfig("kfold", 0.2, 0.25, "sample", 4, 1), 5, true)) {
            int positives = positivesIn(c, f.assignment(), SplitAssignment.VALIDATION);
            assertTrue(positives >= 2 && positives <= 3, "fold " + f.fold() + ": " + positives + " positives in validation");
        }
    }
}
