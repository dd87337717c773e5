package org.oncobench.data;

import java.util.List;

/**
 * The rows of a study as read: sample id, drug id (null for per-sample tasks) and target value; for classification by
 * label, every label the file holds (sorted), of which one is the positive class. {@code missingTargets} rows had an empty
 * target cell and were dropped ({@code data.rows.missing: drop}); they are not among the rows.
 */
public record ResponseRows(List<String> samples, List<String> drugs, float[] targets, List<String> labels, int missingTargets) {
    public ResponseRows(List<String> samples, List<String> drugs, float[] targets, List<String> labels) {
        this(samples, drugs, targets, labels, 0);
    }

    /** Rows in the file, dropped ones included. */
    public int rowsRead() {
        return targets.length + missingTargets;
    }

    public int size() {
        return targets.length;
    }
}
