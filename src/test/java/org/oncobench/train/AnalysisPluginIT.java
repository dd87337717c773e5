package org.oncobench.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.cli.RunCommandIT;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.config.ExperimentLoader;
import org.oncobench.runs.RunStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A new post-training analysis is one class registered with the runner: its result lands in metrics.json under its key,
 * in the console summary and in the report, with no edit to the runner, the metrics writer, the console table or the
 * report writer. This one (a test's only) reports the model's mean residual on the test rows.
 */
class AnalysisPluginIT {
    @TempDir
    Path dir;

    /** The model's mean residual (observed - predicted) on the pooled test rows, per drug too. */
    static final class MeanResidual implements Analysis {
        record Result(double mean, int rows) implements AnalysisResult {
            @Override
            public Object json() {
                return Map.of("mean", mean, "rows", rows);
            }

            @Override
            public String console() {
                return String.format(Locale.ROOT, "  mean residual over %d test rows: %.4f%n", rows, mean);
            }

            @Override
            public String section() {
                return String.format(Locale.ROOT, "%n## Mean residual%n%nObserved minus predicted over %d test rows: %.4f.%n", rows, mean);
            }
        }

        @Override
        public String key() {
            return "mean_residual";
        }

        @Override
        public String configKey() {
            return "(a test's analysis)";
        }

        @Override
        public Request requested(ExperimentConfig config) {
            return Request.EXPLICIT;
        }

        @Override
        public Set<RunShape> shapes() {
            return EnumSet.of(RunShape.SINGLE_SPLIT);
        }

        @Override
        public Set<Need> needs() {
            return EnumSet.of(Need.TEST_ROWS);
        }

        @Override
        public AnalysisResult run(AnalysisContext c) {
            double sum = 0;
            for (int i = 0; i < c.pooled().rows().length; i++) {
                sum += c.cohort().targets()[c.pooled().rows()[i]] - c.pooled().predicted()[i];
            }
            return new Result(sum / c.pooled().rows().length, c.pooled().rows().length);
        }
    }

    @Test
    void oneRegisteredClassAddsAnAnalysisToMetricsConsoleAndReport() throws Exception {
        RunCommandIT.Result synth = RunCommandIT.cli("data", "synth", "--out", dir.resolve("data").toString(), "--cell-lines", "40", "--drugs", "5",
                "--genes", "60", "--seed", "2", "--tiles", "1", "--tile-size", "8");
        assertEquals(0, synth.code(), synth.err());
        Path yaml = dir.resolve("e.yaml");
        Files.writeString(yaml, """
                name: plugin
                data:
                  rows: {file: data/GDSC2_fitted_dose_response.csv, sample: COSMIC_ID, drug: DRUG_ID, target: LN_IC50}
                  sample_ids: {file: data/Model.csv, from: COSMICID, to: ModelID}
                  samples:
                    expression: {file: data/OmicsExpressionProteinCodingGenesTPMLogp1.csv, id: ModelID}
                  drugs:
                    fingerprints: {file: data/drugs.csv, id: DRUG_ID, bits: 64}
                split: {kind: cell-blind, test: 0.25, validation: 0.1}
                model: {kind: mlp, hidden: [16]}
                training: {epochs: 2, batch: 32}
                evaluation: {baselines: [drug_mean], bootstrap: 0}
                """);
        List<String> said = new ArrayList<>();
        ExperimentRunner runner = new ExperimentRunner(new RunStore(dir.resolve("runs")), TrainingProgress.QUIET, said::add)
                .withAnalyses(Analyses.standard().with(new MeanResidual()));
        org.oncobench.config.LoadedExperiment experiment = new ExperimentLoader().load(yaml, List.of());
        RunResult r = runner.run(experiment);
        MeanResidual.Result result = r.analysis(MeanResidual.Result.class);
        assertTrue(result != null && result.rows() == r.testRows(), "the runner ran it on the test rows");

        JsonNode metrics = new ObjectMapper().readTree(r.dir().resolve("metrics.json").toFile());
        List<String> keys = new ArrayList<>();
        metrics.fieldNames().forEachRemaining(keys::add);
        assertEquals("mean_residual", keys.get(keys.size() - 1), "after every standard analysis: " + keys);
        assertEquals(result.mean(), metrics.path("mean_residual").path("mean").asDouble(), 0.0);
        assertTrue(SummaryTable.render(experiment.config(), r)
                .contains(String.format(Locale.ROOT, "mean residual over %d test rows: %.4f", result.rows(), result.mean())));
        assertTrue(Files.readString(r.dir().resolve("report.md")).contains("## Mean residual"));

        // the same analysis on a k-fold run does not apply: one note, from its declaration, and nothing in metrics.json
        said.clear();
        RunResult kfold = runner.run(new ExperimentLoader().load(yaml, List.of("split={kind: kfold, folds: 2}")));
        assertTrue(said.contains("note: (a test's analysis) applies to single-split runs; this is a k-fold run (skipped)"), said.toString());
        assertTrue(kfold.analysis(MeanResidual.Result.class) == null);
        assertTrue(new ObjectMapper().readTree(kfold.dir().resolve("metrics.json").toFile()).path("mean_residual").isMissingNode());
    }
}
