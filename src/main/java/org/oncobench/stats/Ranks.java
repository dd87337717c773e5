package org.oncobench.stats;

import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/** Ranks: 1 for the smallest value, tied values sharing the mean of their ranks (commons-math's NaturalRanking). */
public final class Ranks {
    private static final NaturalRanking AVERAGE = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE);

    private Ranks() {
    }

    /** 1-based ranks, ties averaged; callers pass finite values (NaN has no rank and is refused). */
    public static double[] average(double[] values) {
        return AVERAGE.rank(values);
    }

    /** Ranks with 1 = best: the smallest value when lower is better, else the largest; ties averaged. */
    public static double[] best(double[] values, boolean lowerIsBetter) {
        if (lowerIsBetter) {
            return average(values);
        }
        double[] negated = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            negated[i] = -values[i];
        }
        return average(negated);
    }
}
