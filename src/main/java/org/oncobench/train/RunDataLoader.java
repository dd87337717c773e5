package org.oncobench.train;

import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.data.Cohort;
import org.oncobench.data.CohortBuilder;
import org.oncobench.data.ExternalStudy;
import org.oncobench.data.Fold;
import org.oncobench.data.SplitAssignment;
import org.oncobench.data.SplitPlanner;
import org.oncobench.explain.Uncertainty;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads and joins an experiment's data, plans its split, joins an external study after the split (it is never split,
 * only scored) and says what the reader should know, before any run folder exists: bad data fails here.
 */
final class RunDataLoader {
    private final Consumer<String> status;

    RunDataLoader(Consumer<String> status) {
        this.status = status;
    }

    RunData load(ExperimentConfig config) {
        long t0 = System.nanoTime();
        status.accept("reading data ...");
        Cohort cohort = new CohortBuilder().build(config.data(), config.task());
        Cohort.JoinReport join = cohort.joinReport();
        if (join.rowsKept() < join.rowsRead() || join.replicateRows() > 0) {
            status.accept(CohortBuilder.describe(config.data(), join));
        }
        List<Fold> folds = new SplitPlanner().plan(cohort, config.split(), config.splitSeed(), config.task().isClassification());
        ExternalStudy external = null;
        int dropped = 0;
        if (config.data().external() != null) {
            ExperimentConfig.ExternalConfig x = config.data().external();
            status.accept("reading the external study " + x.name() + " ...");
            external = ExternalStudy.join(cohort, config.data(), x, new CohortBuilder().build(x.data(), config.task()));
            status.accept(external.report().describe(x.name()));
            Fold f = folds.get(0);
            byte[] parts = Arrays.copyOf(f.assignment().parts(), external.merged().size());
            dropped = markExternal(config, cohort, external, f.assignment(), parts);
            if (dropped > 0) {
                status.accept(String.format(Locale.ROOT, "external study %s: %d rows dropped: their %s in the primary study's training or "
                        + "validation rows (the %s split forbids it)", x.name(), dropped,
                        "drug-blind".equals(config.split().kind()) ? "drugs are" : "cell lines are", config.split().kind()));
            }
            folds = List.of(new Fold(f.repeat(), f.fold(), new SplitAssignment(f.assignment().kind(), parts)));
            cohort = external.merged();
        }
        requireCalibrationRows(config, folds);
        List<String> notes = new ArrayList<>(joinNotes(config, join));
        notes.addAll(selectionNotes(config, cohort));
        notes.addAll(notes(config, cohort, folds));
        notes.forEach(status);
        double seconds = (System.nanoTime() - t0) / 1e9;
        status.accept(String.format(Locale.ROOT, "%d rows (%d samples%s), %s split%s; loaded in %.1fs", cohort.size(),
                cohort.sampleIds().size(), cohort.hasDrugs() ? " x " + cohort.drugIds().size() + " drugs" : "", config.split().kind(),
                folds.size() > 1 ? " into " + folds.size() + " folds" : String.format(Locale.ROOT, ": %d train / %d validation / %d test",
                        folds.get(0).assignment().rows(SplitAssignment.TRAIN).length,
                        folds.get(0).assignment().rows(SplitAssignment.VALIDATION).length,
                        folds.get(0).assignment().rows(SplitAssignment.TEST).length), seconds));
        return new RunData(cohort, join, folds, external, dropped, notes, seconds);
    }

    /**
     * The rows left out because their sample or drug id is in no feature table, as a count and a share of the rows with a
     * target (accepted below {@code data.max_unmatched}, so a run says how much of the file it did not use).
     */
    static List<String> joinNotes(ExperimentConfig config, Cohort.JoinReport join) {
        List<String> notes = new ArrayList<>();
        int withTarget = join.rowsRead() - join.missingTargetRows();
        if (join.unmatchedDrugRows() > 0) {
            notes.add(String.format(Locale.ROOT, "note: %d of %d rows (%.1f%%) have a drug id (%s) that is in no drug table, e.g. %s; they were left out",
                    join.unmatchedDrugRows(), withTarget, 100.0 * join.unmatchedDrugRows() / withTarget, config.data().rows().drug(),
                    String.join(", ", join.unmatchedDrugs())));
        }
        if (join.unmatchedSampleRows() > 0) {
            notes.add(String.format(Locale.ROOT, "note: %d of %d rows (%.1f%%) have a sample id (%s) that is in no sample table, e.g. %s; they were left out",
                    join.unmatchedSampleRows(), withTarget, 100.0 * join.unmatchedSampleRows() / withTarget, config.data().rows().sample(),
                    String.join(", ", join.unmatchedSamples())));
        }
        return notes;
    }

    /** A {@code top_variance} above a table's feature count selects nothing: every feature is used, and the run says so. */
    static List<String> selectionNotes(ExperimentConfig config, Cohort cohort) {
        List<String> notes = new ArrayList<>();
        for (org.oncobench.data.FeatureTable t : cohort.sampleTables()) {
            if (config.data().samples().get(t.name()) instanceof ExperimentConfig.MatrixTableConfig m && m.select() != null
                    && m.select().topVariance() != null && m.select().genes() == null && m.select().topVariance() > t.width()) {
                notes.add(String.format(Locale.ROOT, "note: data.samples.%s.select.top_variance %d is more than the table's %d features: all %d are used",
                        t.name(), m.select().topVariance(), t.width(), t.width()));
            }
        }
        return notes;
    }

    /** Intervals at level L need at least L / (1 - L) calibration rows: refused now, not after training. */
    private static void requireCalibrationRows(ExperimentConfig config, List<Fold> folds) {
        ExperimentConfig.UncertaintyConfig u = config.evaluation().uncertainty();
        if (u == null) {
            return;
        }
        int rows = folds.get(0).assignment().rows(SplitAssignment.CALIBRATION).length;
        int needed = Uncertainty.minimumRows(u.level());
        if (rows < needed) {
            throw new BadInputException(String.format(Locale.ROOT, "split.calibration: %d calibration rows, and intervals at evaluation.uncertainty.level "
                    + "%s need at least %d; raise split.calibration or lower the level", rows, Uncertainty.levelKey(u.level()), needed));
        }
    }

    /**
     * Marks the external rows {@link SplitAssignment#EXTERNAL}, or {@link SplitAssignment#UNUSED} where the split's rule
     * forbids them: a cell line (by its shared id) or, drug-blind, a drug that the primary study trains or validates on.
     * A mixed split has no such rule. Returns how many rows were dropped.
     */
    static int markExternal(ExperimentConfig config, Cohort primary, ExternalStudy external, SplitAssignment primarySplit, byte[] parts) {
        Set<String> seenSamples = new HashSet<>();
        Set<Integer> seenDrugs = new HashSet<>();
        for (int r = 0; r < primary.size(); r++) {
            if (primarySplit.parts()[r] == SplitAssignment.TRAIN || primarySplit.parts()[r] == SplitAssignment.VALIDATION) {
                seenSamples.add(primary.sampleIds().get(primary.rowSample()[r]));
                seenDrugs.add(primary.rowDrug()[r]);
            }
        }
        String kind = config.split().kind();
        int dropped = 0;
        for (int r = external.firstRow(); r < parts.length; r++) {
            boolean leaks = switch (kind) {
                case "mixed", "files" -> false; // IMPROVE's cross-study protocol scores the whole target study
                case "drug-blind" -> seenDrugs.contains(external.merged().rowDrug()[r]);
                default -> seenSamples.contains(external.mappedSampleOfRow(r));
            };
            parts[r] = leaks ? SplitAssignment.UNUSED : SplitAssignment.EXTERNAL;
            dropped += leaks ? 1 : 0;
        }
        return dropped;
    }

    /**
     * What the reader should know about the task and split before trusting the numbers; refuses classification splits
     * whose test part (or, with early stopping, validation part) holds one class.
     */
    /** Whether test rows' cell lines, drugs or groups are absent from training (every split but mixed, LPO and row-wise k-fold). */
    static boolean holdsOutEntities(ExperimentConfig.SplitConfig split) {
        return switch (split.kind()) {
            case "mixed", "LPO" -> false;
            case "kfold" -> split.group() != null && !"row".equals(split.group());
            default -> true;
        };
    }

    static List<String> notes(ExperimentConfig config, Cohort cohort, List<Fold> folds) {
        List<String> notes = new ArrayList<>();
        if (config.task().isClassification()) {
            SplitPlanner.checkClasses(cohort, folds, config.training().earlyStopping() != null);
            if (cohort.classLabels().size() > 2) {
                List<String> rest = cohort.classLabels().stream().filter(l -> !l.equals(config.task().positive())).toList();
                notes.add("note: " + cohort.classLabels().size() + " labels in " + config.data().rows().target() + ": '" + config.task().positive()
                        + "' is the positive class and the other " + rest.size() + " (" + String.join(", ", rest)
                        + ") together the negative class (one-vs-rest)");
            }
            if (folds.size() == 1 && config.training().earlyStopping() == null) {
                String counts = SplitPlanner.singleClass(cohort, folds.get(0).assignment().rows(SplitAssignment.VALIDATION));
                if (counts != null && folds.get(0).assignment().rows(SplitAssignment.VALIDATION).length > 0) {
                    notes.add("note: the validation part holds a single class (" + counts + "): its AUC per epoch is undefined");
                }
            }
        }
        int trainRows = folds.get(0).assignment().rows(SplitAssignment.TRAIN).length;
        if (config.training().batch() > trainRows) {
            notes.add(String.format(Locale.ROOT, "warning: training.batch %d is larger than the %d training rows: every epoch is one batch "
                    + "of %d (one update per epoch); a batch of %d or less gives several", config.training().batch(), trainRows, trainRows,
                    Math.max(1, trainRows / 4)));
        }
        if ("mean_effects".equals(config.model().residualOver()) && holdsOutEntities(config.split())) {
            // measured on the quickstart (cell-blind): test RMSE 1.374 against 0.830 with drug_mean and 0.831 without a residual
            notes.add("note: model.target.residual_over: mean_effects under a " + config.split().kind() + " split: the training residuals lose "
                    + "their cell lines' (or drugs') mean effects, which a held-out one does not have (its effect is 0), so the network "
                    + "is never taught what the omics (or fingerprints) should predict; drug_mean is the residual that matches a cell-blind split");
        }
        return notes;
    }
}
