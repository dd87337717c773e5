package org.oncobench.train;

import org.junit.jupiter.api.Test;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.config.ExperimentConfig.SplitConfig;
import org.oncobench.data.Cohort;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class SplitUnitTest {
    /** Four samples in two batches (a, a, b, b), one drug each. */
    static Cohort cohort() {
        List<String> samples = List.of("s0", "s1", "s2", "s3");
        return new Cohort("y", samples, samples, List.of(), new int[]{0, 1, 2, 3}, new int[]{-1, -1, -1, -1}, new float[]{1, 0, 1, 0},
                List.of(), List.of(), Map.of("batch", new String[]{"a", "a", "b", "b"}), new Cohort.JoinReport(4, 4, 0, List.of(), 0, List.of()));
    }

    static ExperimentConfig config(SplitConfig split) {
        return new ExperimentConfig("t", 1, null, null, split, null, null, null, List.of());
    }

    /**
     * A split that holds out batches is resampled by batch: samples of one batch share its effect, so resampling samples
     * treats them as independent and narrows the intervals. Before, both cases below resampled the 4 samples.
     */
    @Test
    void groupBlindAndGroupedFoldsResampleTheirGroups() {
        Cohort c = cohort();
        for (SplitConfig split : List.of(new SplitConfig("group-blind", 0.25, 0.0, "batch", null, null),
                new SplitConfig("kfold", 0, 0.0, "batch", 2, 1))) {
            SplitUnit unit = SplitUnit.of(config(split), c);
            assertEquals(SplitUnit.Kind.GROUP, unit.kind(), split.kind());
            assertEquals("'batch' groups", unit.plural());
            assertEquals(unit.idOf(c, 0), unit.idOf(c, 1));
            assertEquals(unit.idOf(c, 2), unit.idOf(c, 3));
            assertEquals(SplitUnit.Kind.SAMPLE, unit.forSubsampling(c).kind(), "learning curves keep or drop whole samples");
            assertNull(unit.caveat());
        }
        SplitUnit samples = SplitUnit.of(config(new SplitConfig("kfold", 0, 0.0, "sample", 2, 1)), c);
        assertEquals(SplitUnit.Kind.SAMPLE, samples.kind());
        SplitUnit rows = SplitUnit.of(config(new SplitConfig("mixed", 0.25, 0.0)), c);
        assertEquals(SplitUnit.Kind.ROW, rows.kind());
        assertNotNull(rows.caveat(), "rows of a mixed split are not independent: the intervals say so");
    }
}
