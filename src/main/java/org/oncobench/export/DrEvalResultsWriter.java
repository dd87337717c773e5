package org.oncobench.export;

import org.oncobench.config.BadInputException;
import org.oncobench.eval.RegressionMetrics;
import org.oncobench.runs.RunStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's test predictions in DrEval's result layout, so DrEval's report ({@code drevalpy/visualization/utils.py},
 * {@code parse_results}, drevalpy commit f3afe32) reads an oncobench model beside its own:
 * <ul>
 * <li>{@code <dataset>/<test_mode>/<algorithm>/predictions/predictions_split_<k>.csv}: {@code cell_line_name, pubchem_id,
 * response, predictions} ({@code DrugResponseDataset.to_csv}, the file {@code experiment.py} writes per split);</li>
 * <li>{@code evaluation_results.csv}: what {@code evaluate_file} computes per split file and {@code drevalpy-evaluate}
 * writes: an unnamed index column holding {@code <algorithm>_predictions_<test_mode>_split_<k>}, then MSE, RMSE, MAE, R^2,
 * Pearson, Spearman, Kendall ({@code drevalpy/evaluation.py}, AVAILABLE_METRICS);</li>
 * <li>{@code true_vs_pred.csv}: an unnamed index (0.. per split), {@code model, drug, cell_line, y_true, y_pred}.</li>
 * </ul>
 * DrEval's names split on '_', so the dataset and algorithm names may not hold one.
 */
public final class DrEvalResultsWriter {
    public static final String EVALUATION_HEADER = ",MSE,RMSE,MAE,R^2,Pearson,Spearman,Kendall";
    public static final String TRUE_VS_PRED_HEADER = ",model,drug,cell_line,y_true,y_pred";
    public static final String PREDICTIONS_HEADER = "cell_line_name,pubchem_id,response,predictions";

    public record Written(String runId, Path dir, String testMode, String algorithm, List<Path> predictionFiles) {
    }

    /**
     * @param dataset   DrEval's dataset folder name (null: the experiment's name)
     * @param algorithm the model's name in DrEval's tables (null: oncobench-MODEL_KIND)
     */
    public Written export(RunStore store, String runId, Path out, String dataset, String algorithm) {
        RunPredictions p = RunPredictions.load(store, runId);
        String data = dataset == null ? p.config().name().replace('_', '-') : dataset;
        String algo = algorithm == null ? "oncobench-" + p.config().model().kind() : algorithm;
        for (String[] name : new String[][]{{"--dataset", data}, {"--algorithm", algo}}) {
            if (name[1].contains("_") || name[1].contains("/") || name[1].isBlank()) {
                throw new BadInputException(name[0] + " '" + name[1] + "': DrEval splits result names on '_' and uses them as folder names; "
                        + "use letters, digits, '-' or '.'");
            }
        }
        Path predictions = out.resolve(data).resolve(p.testMode()).resolve(algo).resolve("predictions");
        StringBuilder evaluation = new StringBuilder(EVALUATION_HEADER).append('\n');
        StringBuilder trueVsPred = new StringBuilder(TRUE_VS_PRED_HEADER).append('\n');
        List<Path> files = new ArrayList<>();
        try {
            Files.createDirectories(predictions);
            for (RunPredictions.Split s : p.splits()) {
                StringBuilder csv = new StringBuilder(PREDICTIONS_HEADER).append('\n');
                String model = algo + "_predictions_" + p.testMode() + "_split_" + s.index();
                for (int i = 0; i < s.observed().length; i++) {
                    csv.append(Csv.cell(s.samples().get(i))).append(',').append(Csv.cell(s.drugs().get(i))).append(',').append(s.observed()[i])
                            .append(',').append(s.predicted()[i]).append('\n');
                    trueVsPred.append(i).append(',').append(model).append(',').append(Csv.cell(s.drugs().get(i))).append(',')
                            .append(Csv.cell(s.samples().get(i))).append(',').append(s.observed()[i]).append(',').append(s.predicted()[i]).append('\n');
                }
                Path file = predictions.resolve("predictions_split_" + s.index() + ".csv");
                Files.writeString(file, csv);
                files.add(file);
                RegressionMetrics m = s.metrics();
                evaluation.append(model);
                for (double v : new double[]{m.rmse() * m.rmse(), m.rmse(), s.mae(), m.r2(), m.pearson(), m.spearman(), s.kendall()}) {
                    evaluation.append(',').append(Double.isFinite(v) ? Double.toString(v) : "");
                }
                evaluation.append('\n');
            }
            Files.writeString(out.resolve("evaluation_results.csv"), evaluation);
            Files.writeString(out.resolve("true_vs_pred.csv"), trueVsPred);
        } catch (IOException e) {
            throw new BadInputException(out + ": cannot write DrEval's results (" + e.getMessage() + ")");
        }
        return new Written(runId, out, p.testMode(), algo, files);
    }

    /** Quoting for a CSV cell that holds a comma or a quote. */
    static final class Csv {
        private Csv() {
        }

        static String cell(String s) {
            return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
        }
    }
}
