package org.oncobench.train;

import org.junit.jupiter.api.Test;
import org.oncobench.data.Cohort;
import org.oncobench.data.FeatureTable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RandomizationTestsTest {

    /** 6 samples with 2 columns each (row i: 10i, 10i + 1) and one drug table of 2 drugs. */
    private static Cohort cohort() {
        List<String> ids = new ArrayList<>();
        float[] x = new float[12];
        for (int i = 0; i < 6; i++) {
            ids.add("s" + i);
            x[2 * i] = 10 * i;
            x[2 * i + 1] = 10 * i + 1;
        }
        FeatureTable expression = new FeatureTable("expression", ids, List.of("a", "b"), x);
        FeatureTable fingerprints = new FeatureTable("fingerprints", List.of("d0", "d1"), List.of("bit0"), new float[]{0, 1});
        int[] rs = {0, 1, 2, 3, 4, 5};
        int[] rd = {0, 1, 0, 1, 0, 1};
        return new Cohort("y", ids, ids, List.of("d0", "d1"), rs, rd, new float[6], List.of(expression), List.of(fingerprints), Map.of(),
                new Cohort.JoinReport(6, 6, 0, List.of(), 0, List.of()));
    }

    private static float[] rows(FeatureTable t) {
        float[] out = new float[t.rows() * t.width()];
        for (int r = 0; r < t.rows(); r++) {
            t.copyRow(r, out, r * t.width());
        }
        return out;
    }

    @Test
    void permutingMovesWholeRowsAcrossSamplesAndLeavesOtherTablesAlone() {
        Cohort c = cohort();
        Cohort p = RandomizationTests.randomise(c, "expression", "permute", 3, Set.of(0, 1, 2), Set.of(0));
        float[] before = rows(c.sampleTables().get(0));
        float[] after = rows(p.sampleTables().get(0));
        assertNotEquals(Arrays.toString(before), Arrays.toString(after), "seed 3 moves some rows");
        for (int r = 0; r < 6; r++) { // each row is still one of the original rows, whole (a, a + 1)
            assertEquals(after[2 * r] + 1, after[2 * r + 1]);
        }
        float[] sortedBefore = before.clone();
        float[] sortedAfter = after.clone();
        Arrays.sort(sortedBefore);
        Arrays.sort(sortedAfter);
        assertArrayEquals(sortedBefore, sortedAfter, "the same rows, reordered");
        assertSame(c.drugTables().get(0), p.drugTables().get(0));
        assertEquals(c.sampleTables().get(0).ids(), p.sampleTables().get(0).ids());
        // seeded: the same permutation again
        assertArrayEquals(after, rows(RandomizationTests.randomise(c, "expression", "permute", 3, Set.of(0, 1, 2), Set.of(0)).sampleTables().get(0)));
    }

    @Test
    void theMeanKindGivesEverySampleTheTrainingSamplesMean() {
        Cohort p = RandomizationTests.randomise(cohort(), "expression", "mean", 1, Set.of(0, 1, 2), Set.of(0));
        float[] after = rows(p.sampleTables().get(0));
        for (int r = 0; r < 6; r++) { // training samples 0, 1, 2: column means 10 and 11
            assertEquals(10f, after[2 * r]);
            assertEquals(11f, after[2 * r + 1]);
        }
        Cohort drugs = RandomizationTests.randomise(cohort(), "fingerprints", "mean", 1, Set.of(0, 1, 2), Set.of(1));
        assertArrayEquals(new float[]{1, 1}, rows(drugs.drugTables().get(0)), "the training drug d1's bits");
    }

    @Test
    void anUnknownTableIsNamed() {
        assertEquals("no input table 'mutations'", assertThrows(IllegalArgumentException.class,
                () -> RandomizationTests.randomise(cohort(), "mutations", "permute", 1, Set.of(0), Set.of(0))).getMessage());
    }
}
