package org.oncobench.data;

import java.util.List;
import java.util.Map;

/**
 * What {@code data inspect} reports about an experiment's data, before any training: join coverage, table shapes
 * and missing cells, the target's distribution, groups and the split's part sizes.
 */
public record CohortInspection(Cohort.JoinReport join, List<TableShape> tables, TargetSummary target, Map<String, Map<String, Integer>> groups,
                               List<FoldSizes> folds) {

    public record TableShape(String name, String entity, int rows, int columns, long missingCells, int usedRows) {
    }

    /** Distribution of the target over the joined rows; for classification the class counts are in positives. */
    public record TargetSummary(String name, int n, double mean, double sd, double min, double q25, double median, double q75, double max,
                                int positives) {
    }

    public record FoldSizes(int repeat, int fold, int trainRows, int validationRows, int testRows, int trainSamples, int testSamples) {
    }
}
