package org.oncobench.data;

/** One train/validation/test assignment of a plan: a single split is one fold; k-fold gives folds x repeats. */
public record Fold(int repeat, int fold, SplitAssignment assignment) {
}
