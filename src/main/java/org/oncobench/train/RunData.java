package org.oncobench.train;

import org.oncobench.data.Cohort;
import org.oncobench.data.ExternalStudy;
import org.oncobench.data.Fold;

import java.util.List;

/**
 * A run's data, read, joined and split: the cohort (an external study's rows merged in), what the primary study's join
 * found, the folds, the external study (or null) and how many of its rows the split's rule dropped, the notes for the
 * reader, and how long loading took.
 */
record RunData(Cohort cohort, Cohort.JoinReport join, List<Fold> folds, ExternalStudy external, int externalDropped, List<String> notes,
               double loadSeconds) {
    boolean single() {
        return folds.size() == 1;
    }
}
