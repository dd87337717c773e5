package org.oncobench.model;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class SeedsTest {
    /** Seeded with 0, ND4J's native generator would read the clock: two draws a few milliseconds apart would differ. */
    @Test
    void seedZeroDrawsTheSameNumbersEveryTime() throws InterruptedException {
        Seeds.seedNd4j(0);
        double[] first = Nd4j.rand(1, 8).toDoubleVector();
        Thread.sleep(15);
        Seeds.seedNd4j(0);
        double[] second = Nd4j.rand(1, 8).toDoubleVector();
        assertArrayEquals(first, second);
    }

    @Test
    void everyOtherSeedPassesUnchanged() {
        for (long s : new long[]{1, -1, 42, 1L << 40, Long.MIN_VALUE, Long.MAX_VALUE}) {
            assertEquals(s, Seeds.nd4j(s));
        }
        assertNotEquals(0, Seeds.nd4j(0));
    }
}
