package org.oncobench.train;

/** What kind of run an analysis may apply to: one train/validation/test split, or k folds x repeats. */
public enum RunShape {
    SINGLE_SPLIT("single-split"), KFOLD("k-fold");

    private final String label;

    RunShape(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
