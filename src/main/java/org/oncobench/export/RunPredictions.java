package org.oncobench.export;

import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.config.ExperimentConfig.SplitConfig;
import org.oncobench.config.ExperimentLoader;
import org.oncobench.data.DelimitedFile;
import org.oncobench.eval.RegressionMetrics;
import org.oncobench.runs.RunRecord;
import org.oncobench.runs.RunRecords;
import org.oncobench.runs.RunStatus;
import org.oncobench.runs.RunStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A completed regression run's test predictions (predictions.csv) per split, with the names the field's formats use:
 * DrEval's test mode for the run's split and each split's index (k-fold: (repeat - 1) x folds + fold - 1, 0-based as
 * DrEval's {@code predictions_split_<k>.csv}; split files: IMPROVE's split index; a single split: 0).
 */
record RunPredictions(String runId, Path dir, ExperimentConfig config, String testMode, List<Split> splits) {

    /** One split's test rows as predictions.csv holds them (sample and drug as the rows file names them). */
    record Split(int index, List<String> samples, List<String> drugs, double[] observed, double[] predicted) {
        RegressionMetrics metrics() {
            return RegressionMetrics.of(observed, predicted);
        }

        double mae() {
            double s = 0;
            for (int i = 0; i < observed.length; i++) {
                s += Math.abs(observed[i] - predicted[i]);
            }
            return s / observed.length;
        }

        /** Kendall's tau-b (scipy.stats.kendalltau's default, DrEval's Kendall), via commons-math. */
        double kendall() {
            return observed.length < 2 ? Double.NaN : new org.apache.commons.math3.stat.correlation.KendallsCorrelation().correlation(observed, predicted);
        }
    }

    static RunPredictions load(RunStore store, String runId) {
        Path dir = store.dirOf(runId);
        RunRecord record = RunRecords.effective(RunRecords.read(dir).orElseThrow(() -> new BadInputException("run " + runId + " has no run.json")));
        if (!RunStatus.COMPLETED.label().equals(record.status())) {
            throw new BadInputException("run " + runId + " is " + record.status() + "; only completed runs can be exported");
        }
        ExperimentConfig config = new ExperimentLoader().load(dir.resolve("experiment.yaml"), List.of()).config();
        if (config.task().isClassification()) {
            throw new BadInputException("run " + runId + " is a classification run; DrEval's and IMPROVE's result formats hold regression scores");
        }
        if (config.data().rows().drug() == null) {
            throw new BadInputException("run " + runId + " has no drugs in its rows; DrEval's and IMPROVE's formats are per (cell line, drug) pair");
        }
        Path file = dir.resolve("predictions.csv");
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": not found; the run wrote no test predictions");
        }
        SplitConfig split = config.split();
        int folds = split.folds() == null ? 1 : split.folds();
        Map<Integer, List<String[]>> bySplit = new TreeMap<>();
        try (DelimitedFile in = DelimitedFile.open(file)) {
            int s = in.column("sample", "predictions.csv");
            int d = in.column("drug", "predictions.csv");
            int o = in.column("observed", "predictions.csv");
            int p = in.column("predicted", "predictions.csv");
            int f = in.column("fold", "predictions.csv");
            int r = in.column("repeat", "predictions.csv");
            String[] row;
            while ((row = in.next()) != null) {
                int index = "files".equals(split.kind()) && split.files().index() != null ? split.files().index()
                        : (Integer.parseInt(row[r].trim()) - 1) * folds + Integer.parseInt(row[f].trim()) - 1;
                bySplit.computeIfAbsent(index, k -> new ArrayList<>()).add(new String[]{row[s], row[d], row[o], row[p]});
            }
        }
        List<Split> splits = new ArrayList<>();
        bySplit.forEach((index, rows) -> {
            double[] observed = new double[rows.size()];
            double[] predicted = new double[rows.size()];
            List<String> samples = new ArrayList<>();
            List<String> drugs = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                samples.add(rows.get(i)[0]);
                drugs.add(rows.get(i)[1]);
                observed[i] = Double.parseDouble(rows.get(i)[2]);
                predicted[i] = Double.parseDouble(rows.get(i)[3]);
            }
            splits.add(new Split(index, samples, drugs, observed, predicted));
        });
        return new RunPredictions(runId, dir, config, testMode(split), splits);
    }

    /** DrEval's name for what the split holds out: LCO (cell lines), LDO (drugs), LTO (tissues), LPO (pairs: mixed, rows, split files). */
    static String testMode(SplitConfig split) {
        String unit = switch (split.kind()) {
            case "cell-blind" -> "sample";
            case "drug-blind" -> "drug";
            case "group-blind" -> split.group();
            case "kfold" -> split.group();
            default -> "row";
        };
        return switch (unit) {
            case "sample" -> "LCO";
            case "drug" -> "LDO";
            case "row" -> "LPO";
            default -> "LTO";
        };
    }
}
