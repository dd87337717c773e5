package org.oncobench.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Transforms fitted on the training part only: per sample table the selected columns and their mean / sd, and the
 * target's mean / sd (regression) or the training positive rate (classification). Drug fingerprints (bits) are left
 * as they are.
 */
public record FittedTransforms(List<TableTransform> sampleTables, float targetMean, float targetSd, boolean classification,
                               double positiveRate) {

    /**
     * For one sample table: columns kept (indexes into the original table), their standardisation, and the training
     * medians that replace missing cells (null when the table had none).
     */
    public record TableTransform(String table, int[] columns, List<String> columnNames, float[] mean, float[] sd, float[] fill) {
    }

    public Cohort apply(Cohort cohort) {
        List<FeatureTable> out = new ArrayList<>();
        for (int i = 0; i < sampleTables.size(); i++) {
            TableTransform t = sampleTables.get(i);
            out.add(cohort.sampleTables().get(i).selectColumns(t.columns()).standardised(t.mean(), t.sd(), t.fill()));
        }
        return cohort.withTables(out, cohort.drugTables());
    }

    /** Inverse-frequency weights of the negative and positive class, from the training rows. */
    public double[] classWeights() {
        return new double[]{0.5 / (1 - positiveRate), 0.5 / positiveRate};
    }

    public float standardiseTarget(float y) {
        return (y - targetMean) / targetSd;
    }

    public double restoreTarget(double z) {
        return z * targetSd + targetMean;
    }
}
