package org.oncobench.train;

import org.oncobench.config.ExperimentConfig;
import org.oncobench.data.Cohort;

/**
 * The unit a split holds out, which resampling and learning curves must respect: drugs for a drug-blind split (or drug
 * folds), rows for a mixed one (or row folds), otherwise the samples (cell lines, or patients without drugs).
 */
enum SplitUnit {
    DRUG("drugs"), ROW("rows"), CELL_LINE("cell lines"), SAMPLE("samples");

    private final String plural;

    SplitUnit(String plural) {
        this.plural = plural;
    }

    static SplitUnit of(ExperimentConfig config, Cohort cohort) {
        String kind = config.split().kind();
        boolean kfold = "kfold".equals(kind);
        if (("drug-blind".equals(kind) || kfold && "drug".equals(config.split().group())) && cohort.hasDrugs()) {
            return DRUG;
        }
        if ("mixed".equals(kind) || kfold && "row".equals(config.split().group())) {
            return ROW;
        }
        return cohort.hasDrugs() ? CELL_LINE : SAMPLE;
    }

    /** The unit of one cohort row: its drug, itself, or its sample. */
    int of(Cohort cohort, int row) {
        return switch (this) {
            case DRUG -> cohort.rowDrug()[row];
            case ROW -> row;
            case CELL_LINE, SAMPLE -> cohort.rowSample()[row];
        };
    }

    /** e.g. "cell lines". */
    String plural() {
        return plural;
    }
}
