package org.oncobench.train;

import org.oncobench.config.ExperimentConfig;
import org.oncobench.data.Cohort;

/**
 * The unit a split holds out, which resampling must respect: drugs for a drug-blind split (or drug folds), rows for a
 * mixed one (or row folds), the values of a {@code data.groups} column for a group-blind split or folds grouped by one
 * (e.g. processing batches), otherwise the samples (cell lines, or patients without drugs). Learning curves subsample
 * the training part by {@link #forSubsampling()}: a group-blind split's training rows share no group with its test
 * rows whichever cell lines a curve point keeps, so they subsample cell lines rather than a handful of groups.
 */
record SplitUnit(Kind kind, String group) {
    enum Kind { DRUG, ROW, CELL_LINE, SAMPLE, GROUP }

    static SplitUnit of(ExperimentConfig config, Cohort cohort) {
        String kind = config.split().kind();
        boolean kfold = "kfold".equals(kind);
        if (("drug-blind".equals(kind) || kfold && "drug".equals(config.split().group())) && cohort.hasDrugs()) {
            return new SplitUnit(Kind.DRUG, null);
        }
        if ("mixed".equals(kind) || "files".equals(kind) || kfold && "row".equals(config.split().group())) {
            return new SplitUnit(Kind.ROW, null);
        }
        boolean grouped = "group-blind".equals(kind) || kfold && !"sample".equals(config.split().group());
        if (grouped && config.split().group() != null && cohort.groups().containsKey(config.split().group())) {
            return new SplitUnit(Kind.GROUP, config.split().group());
        }
        return new SplitUnit(cohort.hasDrugs() ? Kind.CELL_LINE : Kind.SAMPLE, null);
    }

    /** The unit learning curves keep or drop whole: a group-blind split's cell lines (or samples), else this unit. */
    SplitUnit forSubsampling(Cohort cohort) {
        return kind == Kind.GROUP ? new SplitUnit(cohort.hasDrugs() ? Kind.CELL_LINE : Kind.SAMPLE, null) : this;
    }

    /** The unit of one cohort row: its drug, itself, its sample, or its sample's group (as an id: equal ids, one unit). */
    String idOf(Cohort cohort, int row) {
        return switch (kind) {
            case DRUG -> "d" + cohort.rowDrug()[row];
            case ROW -> "r" + row;
            case CELL_LINE, SAMPLE -> "s" + cohort.rowSample()[row];
            case GROUP -> "g" + cohort.groups().get(group)[cohort.rowSample()[row]];
        };
    }

    /** e.g. "cell lines", "'batch' groups". */
    String plural() {
        return switch (kind) {
            case DRUG -> "drugs";
            case ROW -> "rows";
            case CELL_LINE -> "cell lines";
            case SAMPLE -> "samples";
            case GROUP -> "'" + group + "' groups";
        };
    }

    /**
     * What the reader must know about resampling this unit, or null: rows of a mixed split share cell lines and drugs
     * with each other and with the training rows, so resampling rows treats them as independent when they are not, and
     * the intervals come out narrower than a new cell line or drug would see.
     */
    String caveat() {
        return kind == Kind.ROW ? "rows resampled as if independent; test rows share cell lines and drugs with each other and with the training "
                + "rows, so these intervals are optimistic (narrower than for new cell lines or drugs)" : null;
    }
}
