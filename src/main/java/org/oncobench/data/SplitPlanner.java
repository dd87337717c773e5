package org.oncobench.data;

import org.oncobench.stats.Shuffles;
import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentConfig.SplitConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Turns a split config into folds. Every split works on units that never cross sides: rows (mixed), samples
 * (cell-blind), drugs (drug-blind) or a sample grouping such as tissue or batch (group-blind). K-fold shuffles the
 * units into k folds per repeat (stratified by label for classification when each unit is one row) and holds out a
 * validation share of each training part. A single split can hold out a calibration part as well (units that only
 * calibrate prediction intervals). Same seed, same folds.
 */
public final class SplitPlanner {

    public List<Fold> plan(Cohort cohort, SplitConfig config, long seed, boolean stratify) {
        return switch (config.kind()) {
            case "mixed" -> List.of(single(cohort, config, seed, Units.rows(cohort), stratify));
            case "cell-blind" -> List.of(single(cohort, config, seed, Units.samples(cohort), stratify));
            case "drug-blind" -> List.of(single(cohort, config, seed, Units.drugs(cohort), stratify));
            case "group-blind" -> List.of(single(cohort, config, seed, Units.group(cohort, config.group()), stratify));
            case "kfold" -> kfold(cohort, config, seed, stratify);
            case "files" -> List.of(new Fold(0, 0, SplitFiles.assign(cohort, config.files())));
            default -> throw new BadInputException("split.kind: '" + config.kind() + "' is not supported");
        };
    }

    private static Fold single(Cohort cohort, SplitConfig config, long seed, Units units, boolean stratify) {
        int n = units.count();
        int nTest = config.test() == 0 ? 0 : Math.max(1, (int) Math.round(config.test() * n)); // 0: an external study is the test
        int nVal = config.validation() > 0 ? Math.max(1, (int) Math.round(config.validation() * n)) : 0;
        int nCal = config.calibration() > 0 ? Math.max(1, (int) Math.round(config.calibration() * n)) : 0;
        if (n - nTest - nVal - nCal < 1) {
            throw new BadInputException("split: only " + n + " " + units.name() + " to split; need at least " + (nTest + nVal + nCal + 1)
                    + " for test = " + config.test() + " and validation = " + config.validation()
                    + (nCal > 0 ? " and calibration = " + config.calibration() : ""));
        }
        Random random = new Random(seed);
        float[] unitLabel = stratify ? units.singleLabels(cohort) : null;
        byte[] unitPart = new byte[n];
        if (unitLabel != null) {
            // each class on its own, in proportion: a rare class still reaches test and validation when it has enough units
            for (List<Integer> members : byLabel(shuffled(n, random), unitLabel).values()) {
                int m = members.size();
                int t = (int) Math.round(config.test() * m);
                int v = config.validation() > 0 ? (int) Math.round(config.validation() * m) : 0;
                int c = config.calibration() > 0 ? Math.max(m >= 4 ? 1 : 0, (int) Math.round(config.calibration() * m)) : 0;
                if (config.test() == 0) {
                    t = 0;
                    v = config.validation() > 0 ? Math.max(m >= 2 ? 1 : 0, Math.min(v, m - 1)) : 0;
                } else if (m >= 3) {
                    t = Math.max(1, Math.min(t, m - 2));
                    v = config.validation() > 0 ? Math.max(1, Math.min(v, m - t - 1)) : 0;
                } else {
                    t = Math.min(t, m - 1);
                    v = Math.min(v, m - 1 - t);
                }
                c = Math.max(0, Math.min(c, m - t - v - 1)); // at least one unit of each class stays in training
                for (int k = 0; k < m; k++) {
                    unitPart[members.get(k)] = k < t ? SplitAssignment.TEST : k < t + v ? SplitAssignment.VALIDATION
                            : k < t + v + c ? SplitAssignment.CALIBRATION : SplitAssignment.TRAIN;
                }
            }
        } else {
            int[] order = shuffled(n, random);
            for (int k = 0; k < n; k++) {
                unitPart[order[k]] = k < nTest ? SplitAssignment.TEST : k < nTest + nVal ? SplitAssignment.VALIDATION
                        : k < nTest + nVal + nCal ? SplitAssignment.CALIBRATION : SplitAssignment.TRAIN;
            }
        }
        return new Fold(0, 0, new SplitAssignment(config.kind(), units.toRows(unitPart)));
    }

    /** Units grouped by label (labels in ascending order), each group in the given order. */
    private static Map<Float, List<Integer>> byLabel(int[] order, float[] unitLabel) {
        Map<Float, List<Integer>> out = new java.util.TreeMap<>();
        for (int u : order) {
            out.computeIfAbsent(unitLabel[u], x -> new ArrayList<>()).add(u);
        }
        return out;
    }

    /**
     * Classification: refuses a single split whose test part holds one class (AUC, F1 are undefined there), and a
     * validation part with one class when early stopping needs its AUC. K-fold folds may hold one class (a grouped fold
     * can); their summaries say in how many folds a metric is defined.
     */
    public static void checkClasses(Cohort cohort, List<Fold> folds, boolean validationNeeded) {
        for (Fold f : folds) {
            String where = folds.size() == 1 ? "the " : "fold " + (f.fold() + 1) + " (repeat " + (f.repeat() + 1) + "): the ";
            if (folds.size() == 1) {
                requireBothClasses(cohort, f.assignment().rows(SplitAssignment.TEST), where + "test part",
                        "AUC, F1 and the comparison with the baselines would be undefined");
            }
            int[] validation = f.assignment().rows(SplitAssignment.VALIDATION);
            if (validationNeeded && validation.length > 0) {
                requireBothClasses(cohort, validation, where + "validation part", "early stopping watches its AUC, which would be undefined");
            }
        }
    }

    /** Rows' class counts as "N negatives, P positives", or null when both classes are present. */
    public static String singleClass(Cohort cohort, int[] rows) {
        int positives = 0;
        for (int r : rows) {
            positives += cohort.targets()[r] > 0.5 ? 1 : 0;
        }
        return positives == 0 || positives == rows.length ? (rows.length - positives) + " negatives, " + positives + " positives" : null;
    }

    private static void requireBothClasses(Cohort cohort, int[] rows, String part, String why) {
        String counts = singleClass(cohort, rows);
        if (counts != null) {
            throw new BadInputException("split: " + part + " holds a single class (" + counts + "), so " + why
                    + "; use a larger split.test / split.validation, another seed, or a k-fold split");
        }
    }

    private static List<Fold> kfold(Cohort cohort, SplitConfig config, long seed, boolean stratify) {
        Units units = switch (config.group()) {
            case "row" -> Units.rows(cohort);
            case "sample" -> Units.samples(cohort);
            case "drug" -> Units.drugs(cohort);
            default -> Units.group(cohort, config.group());
        };
        int n = units.count();
        int k = config.folds();
        if (n < k) {
            throw new BadInputException("split.folds = " + k + " but there are only " + n + " " + units.name() + " to spread over them");
        }
        // Stratify when each unit carries one label: per-row units, or per-sample tasks.
        float[] unitLabel = stratify ? units.singleLabels(cohort) : null;
        Random random = new Random(seed);
        List<Fold> folds = new ArrayList<>();
        for (int r = 0; r < config.repeats(); r++) {
            int[] order = shuffled(n, random);
            int[] foldOf = new int[n];
            if (unitLabel != null) {
                int next = 0;
                for (List<Integer> members : byLabel(order, unitLabel).values()) {
                    for (int u : members) {
                        foldOf[u] = next++ % k;
                    }
                }
            } else {
                for (int i = 0; i < n; i++) {
                    foldOf[order[i]] = i % k;
                }
            }
            for (int f = 0; f < k; f++) {
                byte[] unitPart = new byte[n];
                List<Integer> trainUnits = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int u = order[i];
                    if (foldOf[u] == f) {
                        unitPart[u] = SplitAssignment.TEST;
                    } else {
                        trainUnits.add(u);
                    }
                }
                int nVal = config.validation() > 0 ? Math.max(1, (int) Math.round(config.validation() * trainUnits.size())) : 0;
                if (trainUnits.size() - nVal < 1) {
                    throw new BadInputException("split: fold " + (f + 1) + " leaves no " + units.name() + " to train on");
                }
                if (unitLabel != null && nVal > 0) {
                    // the validation share of each class, so early stopping's AUC is defined
                    for (List<Integer> members : byLabel(trainUnits.stream().mapToInt(Integer::intValue).toArray(), unitLabel).values()) {
                        int v = Math.min(members.size() - 1, Math.max(members.size() >= 2 ? 1 : 0,
                                (int) Math.round(config.validation() * members.size())));
                        for (int i = 0; i < v; i++) {
                            unitPart[members.get(i)] = SplitAssignment.VALIDATION;
                        }
                    }
                } else {
                    for (int i = 0; i < nVal; i++) {
                        unitPart[trainUnits.get(i)] = SplitAssignment.VALIDATION;
                    }
                }
                folds.add(new Fold(r, f, new SplitAssignment("kfold", units.toRows(unitPart))));
            }
        }
        return folds;
    }

    static int[] shuffled(int n, Random random) {
        return Shuffles.permutation(n, random::nextInt);
    }

    /** What a split keeps together: each row belongs to exactly one unit. */
    record Units(String name, int count, int[] unitOfRow) {
        static Units rows(Cohort c) {
            int[] u = new int[c.size()];
            for (int i = 0; i < u.length; i++) {
                u[i] = i;
            }
            return new Units("rows", c.size(), u);
        }

        static Units samples(Cohort c) {
            return new Units("samples", c.sampleIds().size(), c.rowSample().clone());
        }

        static Units drugs(Cohort c) {
            if (!c.hasDrugs()) {
                throw new BadInputException("split: a drug-blind split needs drugs in the rows");
            }
            return new Units("drugs", c.drugIds().size(), c.rowDrug().clone());
        }

        static Units group(Cohort c, String group) {
            String[] labels = c.groups().get(group);
            if (labels == null) {
                throw new BadInputException("split.group: '" + group + "' is not a table under data.groups");
            }
            Map<String, Integer> index = new LinkedHashMap<>();
            int[] u = new int[c.size()];
            for (int i = 0; i < u.length; i++) {
                u[i] = index.computeIfAbsent(labels[c.rowSample()[i]], x -> index.size());
            }
            if (index.size() < 2) {
                throw new BadInputException("split.group: '" + group + "' has a single value (" + index.keySet() + "); nothing to hold out");
            }
            return new Units("'" + group + "' groups", index.size(), u);
        }

        byte[] toRows(byte[] unitPart) {
            byte[] parts = new byte[unitOfRow.length];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = unitPart[unitOfRow[i]];
            }
            return parts;
        }

        /** The label of each unit when every unit has one row (or one label); null otherwise. */
        float[] singleLabels(Cohort c) {
            float[] label = new float[count];
            int[] rowsOf = new int[count];
            for (int i = 0; i < unitOfRow.length; i++) {
                label[unitOfRow[i]] = c.targets()[i];
                rowsOf[unitOfRow[i]]++;
            }
            for (int r : rowsOf) {
                if (r != 1) {
                    return null;
                }
            }
            return label;
        }
    }
}
