package org.oncobench.data;

import java.util.List;
import java.util.Map;

/**
 * A study ready for splitting: rows are (sample index, drug index, target) and point into per-entity feature tables
 * whose rows are aligned to {@link #sampleIds()} and {@link #drugIds()}. Feature rows are never repeated per pair.
 *
 * @param sampleIds    sample entities (feature-table ids, e.g. ModelID), index = sample index
 * @param sampleLabels how each sample is named in the response file (e.g. COSMIC_ID), for predictions
 * @param drugIds      drug entities (empty for per-sample tasks)
 * @param rowSample    per row, index into sampleIds
 * @param rowDrug      per row, index into drugIds (-1 for per-sample tasks)
 * @param targets      per row, the response
 * @param sampleTables feature tables aligned to sampleIds, in config order
 * @param drugTables   feature tables aligned to drugIds, in config order
 * @param groups       per grouping name, the group label of each sample ("unknown" where the table lacks it)
 * @param joinReport   what did not join
 * @param classLabels  for classification by label: every label of the rows file, sorted (empty otherwise)
 * @param origins      where each data row of the rows file went (null when not recorded), for split files
 */
public record Cohort(String targetName, List<String> sampleIds, List<String> sampleLabels, List<String> drugIds,
                     int[] rowSample, int[] rowDrug, float[] targets, List<FeatureTable> sampleTables,
                     List<FeatureTable> drugTables, Map<String, String[]> groups, JoinReport joinReport, List<String> classLabels,
                     RowOrigins origins) {

    public Cohort(String targetName, List<String> sampleIds, List<String> sampleLabels, List<String> drugIds, int[] rowSample, int[] rowDrug,
                  float[] targets, List<FeatureTable> sampleTables, List<FeatureTable> drugTables, Map<String, String[]> groups,
                  JoinReport joinReport, List<String> classLabels) {
        this(targetName, sampleIds, sampleLabels, drugIds, rowSample, rowDrug, targets, sampleTables, drugTables, groups, joinReport, classLabels,
                null);
    }

    /**
     * Per data row of the rows file (0-based, header excluded), the cohort row it became (replicates: their pair's row),
     * or why it is in none: {@link #OTHER} (not selected by data.rows.where), {@link #NO_TARGET}, {@link #NO_SAMPLE} (its
     * sample is missing from a sample table), {@link #NO_DRUG}.
     */
    public record RowOrigins(String file, int[] cohortRow) {
        public static final int OTHER = -1;
        public static final int NO_TARGET = -2;
        public static final int NO_SAMPLE = -3;
        public static final int NO_DRUG = -4;

        public static String why(int code) {
            return switch (code) {
                case OTHER -> "it is not among the rows data.rows.where selects (another study)";
                case NO_TARGET -> "its target cell is empty (dropped: data.rows.missing: drop)";
                case NO_SAMPLE -> "its sample is missing from the sample tables";
                case NO_DRUG -> "its drug is missing from the drug tables";
                default -> "row " + code;
            };
        }
    }

    public Cohort(String targetName, List<String> sampleIds, List<String> sampleLabels, List<String> drugIds, int[] rowSample, int[] rowDrug,
                  float[] targets, List<FeatureTable> sampleTables, List<FeatureTable> drugTables, Map<String, String[]> groups,
                  JoinReport joinReport) {
        this(targetName, sampleIds, sampleLabels, drugIds, rowSample, rowDrug, targets, sampleTables, drugTables, groups, joinReport, List.of());
    }

    public int size() {
        return targets.length;
    }

    public boolean hasDrugs() {
        return !drugIds.isEmpty();
    }

    /** Width of one concatenated input row (all sample tables, then all drug tables). */
    public int inputWidth() {
        int w = 0;
        for (FeatureTable t : sampleTables) {
            w += t.width();
        }
        for (FeatureTable t : drugTables) {
            w += t.width();
        }
        return w;
    }

    /** The same cohort with transformed feature tables (same entities, same rows). */
    public Cohort withTables(List<FeatureTable> newSampleTables, List<FeatureTable> newDrugTables) {
        return new Cohort(targetName, sampleIds, sampleLabels, drugIds, rowSample, rowDrug, targets, newSampleTables, newDrugTables,
                groups, joinReport, classLabels, origins);
    }

    /** The same cohort with other target values (same rows, same features). */
    public Cohort withTargets(float[] newTargets) {
        return new Cohort(targetName, sampleIds, sampleLabels, drugIds, rowSample, rowDrug, newTargets, sampleTables, drugTables, groups,
                joinReport, classLabels, origins);
    }

    /**
     * What did not join: counts and the first few ids, per reason; and the replicates: {@code replicatedPairs} pairs (or
     * samples) had more than one joined row, and {@code replicateRows} rows were merged into them ({@code rowsKept}
     * counts rows before that merge, so the cohort has rowsKept - replicateRows rows). {@code missingTargetRows} of the
     * {@code rowsRead} rows had no target and were dropped before joining.
     */
    public record JoinReport(int rowsRead, int rowsKept, int unmatchedSampleRows, List<String> unmatchedSamples,
                             int unmatchedDrugRows, List<String> unmatchedDrugs, int replicatedPairs, int replicateRows, int missingTargetRows) {
        public JoinReport(int rowsRead, int rowsKept, int unmatchedSampleRows, List<String> unmatchedSamples, int unmatchedDrugRows,
                          List<String> unmatchedDrugs) {
            this(rowsRead, rowsKept, unmatchedSampleRows, unmatchedSamples, unmatchedDrugRows, unmatchedDrugs, 0, 0, 0);
        }

        /** The share of rows with a target that did not join (rows without one are counted apart, never "unmatched"). */
        public double unmatchedFraction() {
            int withTarget = rowsRead - missingTargetRows;
            return withTarget == 0 ? 0 : 1.0 - (double) rowsKept / withTarget;
        }

        public JoinReport withReplicates(int pairs, int rows) {
            return new JoinReport(rowsRead, rowsKept, unmatchedSampleRows, unmatchedSamples, unmatchedDrugRows, unmatchedDrugs, pairs, rows,
                    missingTargetRows);
        }

        public JoinReport withMissingTargets(int rows) {
            return new JoinReport(rowsRead + rows, rowsKept, unmatchedSampleRows, unmatchedSamples, unmatchedDrugRows, unmatchedDrugs,
                    replicatedPairs, replicateRows, rows);
        }
    }
}
