package org.oncobench.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.oncobench.config.BadInputException;
import org.oncobench.eval.RegressionMetrics;
import org.oncobench.runs.RunStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's test scores as IMPROVE's infer step writes them, per split: {@code split_<k>/test_scores.json} with
 * improvelib's regression keys {@code mse, rmse, pcc, scc, r2} ({@code improvelib/metrics.py}, {@code compute_metrics};
 * {@code utils.py}, {@code compute_performance_scores} writes {@code <stage>_scores.json}), and
 * {@code split_<k>/test_y_data_predicted.csv}: {@code improve_sample_id, improve_chem_id, <target>_true, <target>_pred}.
 */
public final class ImproveScoresWriter {
    public record Written(String runId, Path dir, List<Path> scoreFiles) {
    }

    public Written export(RunStore store, String runId, Path out) {
        RunPredictions p = RunPredictions.load(store, runId);
        String target = p.config().data().rows().target();
        List<Path> files = new ArrayList<>();
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        try {
            for (RunPredictions.Split s : p.splits()) {
                Path dir = out.resolve("split_" + s.index());
                Files.createDirectories(dir);
                RegressionMetrics m = s.metrics();
                Map<String, Object> scores = new LinkedHashMap<>();
                scores.put("mse", m.rmse() * m.rmse());
                scores.put("rmse", m.rmse());
                scores.put("pcc", finite(m.pearson()));
                scores.put("scc", finite(m.spearman()));
                scores.put("r2", finite(m.r2()));
                Path file = dir.resolve("test_scores.json");
                Files.writeString(file, json.writeValueAsString(scores) + "\n");
                files.add(file);
                StringBuilder csv = new StringBuilder("improve_sample_id,improve_chem_id," + target + "_true," + target + "_pred\n");
                for (int i = 0; i < s.observed().length; i++) {
                    csv.append(DrEvalResultsWriter.Csv.cell(s.samples().get(i))).append(',').append(DrEvalResultsWriter.Csv.cell(s.drugs().get(i)))
                            .append(',').append(s.observed()[i]).append(',').append(s.predicted()[i]).append('\n');
                }
                Files.writeString(dir.resolve("test_y_data_predicted.csv"), csv);
            }
        } catch (IOException e) {
            throw new BadInputException(out + ": cannot write IMPROVE's scores (" + e.getMessage() + ")");
        }
        return new Written(runId, out, files);
    }

    private static Object finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
