package org.oncobench.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Transforms fitted on the training part only: per sample table the selected columns and their mean / sd, and the
 * target's mean / sd. Drug fingerprints (bits) are left as they are.
 */
public record FittedTransforms(List<TableTransform> sampleTables, float targetMean, float targetSd) {

    /** For one sample table: columns kept (indexes into the original table) and their standardisation. */
    public record TableTransform(String table, int[] columns, List<String> columnNames, float[] mean, float[] sd) {
    }

    public Cohort apply(Cohort cohort) {
        List<FeatureTable> out = new ArrayList<>();
        for (int i = 0; i < sampleTables.size(); i++) {
            TableTransform t = sampleTables.get(i);
            out.add(cohort.sampleTables().get(i).selectColumns(t.columns()).standardised(t.mean(), t.sd()));
        }
        return cohort.withTables(out, cohort.drugTables());
    }

    public float standardiseTarget(float y) {
        return (y - targetMean) / targetSd;
    }

    public double restoreTarget(double z) {
        return z * targetSd + targetMean;
    }
}
