package org.oncobench.data;

import java.util.List;

/**
 * The rows of a study as read: sample id, drug id (null for per-sample tasks) and target value; for classification by
 * label, every label the file holds (sorted), of which one is the positive class.
 */
public record ResponseRows(List<String> samples, List<String> drugs, float[] targets, List<String> labels) {
    public int size() {
        return targets.length;
    }
}
