package org.oncobench.data;

import java.util.List;

/** The rows of a study as read: sample id, drug id (null for per-sample tasks) and target value. */
public record ResponseRows(List<String> samples, List<String> drugs, float[] targets) {
    public int size() {
        return targets.length;
    }
}
