package org.oncobench.explain;

import org.junit.jupiter.api.Test;
import org.oncobench.data.Cohort;
import org.oncobench.model.ModelZooFixtures;

import java.util.Arrays;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunExplainerTest {
    /**
     * 40 samples x 5 drugs in sample-major order: every 5th row is the same drug, so taking every k-th row for 40
     * explanations explained drug 0 forty times. The drug-stratified sample explains each drug 8 times.
     */
    @Test
    void theExplainedRowsAreASeededSampleStratifiedByDrug() {
        Cohort c = ModelZooFixtures.cohort(false);
        int[] rows = IntStream.range(0, c.size()).toArray();
        int[] sample = RunExplainer.sample(c, rows, 40, 7);
        assertEquals(40, sample.length);
        int[] perDrug = new int[c.drugIds().size()];
        for (int r : sample) {
            perDrug[c.rowDrug()[r]]++;
        }
        assertArrayEquals(new int[]{8, 8, 8, 8, 8}, perDrug);
        assertEquals(40, Arrays.stream(sample).distinct().count());
        assertTrue(IntStream.range(1, sample.length).allMatch(i -> sample[i - 1] < sample[i]), "in the test rows' order");
        assertArrayEquals(sample, RunExplainer.sample(c, rows, 40, 7), "same seed, same rows");
        assertFalse(Arrays.equals(sample, RunExplainer.sample(c, rows, 40, 8)), "another seed, other rows");
        assertArrayEquals(rows, RunExplainer.sample(c, rows, 500, 7), "no more rows than asked: all of them");
    }
}
