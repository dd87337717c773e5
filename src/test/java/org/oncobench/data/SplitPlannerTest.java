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
}
