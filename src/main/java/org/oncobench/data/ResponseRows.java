package org.oncobench.data;

import java.util.List;

/**
 * The rows of a study as read: sample id, drug id (null for per-sample tasks) and target value; for classification by
 * label, every label the file holds (sorted), of which one is the positive class. {@code missingTargets} rows had an empty
 * target cell and were dropped ({@code data.rows.missing: drop}); they are not among the rows.
 */
/*
 * {@code fileRows}: per row, its 0-based position among the file's data rows; {@code fate}: per data row of the file,
 * {@link #KEPT}, {@link #OTHER} (left out by data.rows.where) or {@link #NO_TARGET} (dropped for want of a target).
 */
public record ResponseRows(List<String> samples, List<String> drugs, float[] targets, List<String> labels, int missingTargets,
                           int[] fileRows, byte[] fate, int otherRows) {
    public static final byte KEPT = 0;
    public static final byte OTHER = 1;
    public static final byte NO_TARGET = 2;

    public ResponseRows(List<String> samples, List<String> drugs, float[] targets, List<String> labels) {
        this(samples, drugs, targets, labels, 0);
    }

    public ResponseRows(List<String> samples, List<String> drugs, float[] targets, List<String> labels, int missingTargets) {
        this(samples, drugs, targets, labels, missingTargets, java.util.stream.IntStream.range(0, targets.length).toArray(),
                new byte[targets.length], 0);
    }

    /** Rows in the file (those data.rows.where selects), dropped ones included. */
    public int rowsRead() {
        return targets.length + missingTargets;
    }

    public int size() {
        return targets.length;
    }
}
