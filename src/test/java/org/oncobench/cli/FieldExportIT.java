package org.oncobench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code export RUN --format dreval|improve}: the files read back have DrEval's and IMPROVE's exact columns and keys, and
 * their scores are the run's metrics.json per fold (k-fold) or for the split file's index.
 */
class FieldExportIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Outcome(int code, String out, String err) {
    }

    private Outcome cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Oncobench.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(code, out.toString(), err.toString());
    }

    private Path run(String... extra) {
        List<String> a = new ArrayList<>(List.of("run", "experiments/improve-example.yaml", "--runs-dir", dir.resolve("runs").toString(), "--set",
                "training.epochs=3", "--set", "evaluation.baselines=[drug_mean]", "--set", "evaluation.bootstrap=100"));
        a.addAll(List.of(extra));
        Outcome o = cli(a.toArray(String[]::new));
        assertEquals(0, o.code(), o.err());
        return Path.of(o.out().lines().filter(l -> l.startsWith("Run ")).findFirst().orElseThrow().replaceFirst("^Run [^:]+: ", ""));
    }

    @Test
    void drevalAndImproveFilesHoldTheFoldsScoresUnderTheFormatsColumns() throws Exception {
        Path run = run("--set", "split={kind: LPO, folds: 3}");
        String id = run.getFileName().toString();
        JsonNode folds = JSON.readTree(run.resolve("metrics.json").toFile()).get("folds");
        Path dre = dir.resolve("dreval");
        Outcome d = cli("export", id, "--runs-dir", dir.resolve("runs").toString(), "--format", "dreval", "--dataset", "IMPROVE-CCLE",
                "--out", dre.toString());
        assertEquals(0, d.code(), d.err());
        List<String> evaluation = Files.readAllLines(dre.resolve("evaluation_results.csv"));
        assertEquals(",MSE,RMSE,MAE,R^2,Pearson,Spearman,Kendall", evaluation.get(0));
        assertEquals(4, evaluation.size());
        int rows = 0;
        for (int k = 0; k < 3; k++) {
            String[] cells = evaluation.get(1 + k).split(",");
            assertEquals("oncobench-mlp_predictions_LPO_split_" + k, cells[0]);
            JsonNode test = folds.get(k).get("test");
            assertEquals(test.get("rmse").asDouble() * test.get("rmse").asDouble(), Double.parseDouble(cells[1]), 1e-5, "MSE");
            assertEquals(test.get("rmse").asDouble(), Double.parseDouble(cells[2]), 1e-5, "RMSE");
            assertEquals(test.get("r2").asDouble(), Double.parseDouble(cells[4]), 1e-5, "R^2");
            assertEquals(test.get("pearson").asDouble(), Double.parseDouble(cells[5]), 1e-5, "Pearson");
            assertEquals(test.get("spearman").asDouble(), Double.parseDouble(cells[6]), 1e-5, "Spearman");
            double kendall = Double.parseDouble(cells[7]);
            assertTrue(kendall > 0 && kendall < test.get("spearman").asDouble(), "Kendall's tau below Spearman's rho here: " + kendall);
            List<String> predictions = Files.readAllLines(dre.resolve("IMPROVE-CCLE/LPO/oncobench-mlp/predictions/predictions_split_" + k + ".csv"));
            assertEquals("cell_line_name,pubchem_id,response,predictions", predictions.get(0));
            assertEquals(test.get("n").asInt(), predictions.size() - 1, "every test row of fold " + k);
            rows += predictions.size() - 1;
        }
        List<String> tvp = Files.readAllLines(dre.resolve("true_vs_pred.csv"));
        assertEquals(",model,drug,cell_line,y_true,y_pred", tvp.get(0));
        assertEquals(rows, tvp.size() - 1);
        assertEquals(677, rows, "LPO: every CCLE row tested once");

        Path imp = dir.resolve("improve");
        Outcome i = cli("export", id, "--runs-dir", dir.resolve("runs").toString(), "--format", "improve", "--out", imp.toString());
        assertEquals(0, i.code(), i.err());
        for (int k = 0; k < 3; k++) {
            JsonNode scores = JSON.readTree(imp.resolve("split_" + k + "/test_scores.json").toFile());
            List<String> keys = new ArrayList<>();
            scores.fieldNames().forEachRemaining(keys::add);
            assertEquals(List.of("mse", "rmse", "pcc", "scc", "r2"), keys);
            JsonNode test = folds.get(k).get("test");
            assertEquals(test.get("rmse").asDouble(), scores.get("rmse").asDouble(), 1e-5);
            assertEquals(test.get("pearson").asDouble(), scores.get("pcc").asDouble(), 1e-5);
            assertEquals(test.get("spearman").asDouble(), scores.get("scc").asDouble(), 1e-5);
            assertEquals(test.get("r2").asDouble(), scores.get("r2").asDouble(), 1e-5);
            assertEquals("improve_sample_id,improve_chem_id,auc_true,auc_pred", Files.readAllLines(imp.resolve("split_" + k
                    + "/test_y_data_predicted.csv")).get(0));
        }
        Outcome bad = cli("export", id, "--runs-dir", dir.resolve("runs").toString(), "--format", "dreval", "--algorithm", "my_model", "--out",
                dre.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--algorithm 'my_model': DrEval splits result names on '_'"), bad.err());
    }

    @Test
    void aSplitFileRunIsExportedUnderItsImproveSplitIndex() throws Exception {
        Path run = run("--set", "split.index=3");
        JsonNode test = JSON.readTree(run.resolve("metrics.json").toFile()).get("test");
        Path imp = dir.resolve("improve");
        Outcome i = cli("export", run.getFileName().toString(), "--runs-dir", dir.resolve("runs").toString(), "--format", "improve", "--out",
                imp.toString());
        assertEquals(0, i.code(), i.err());
        JsonNode scores = JSON.readTree(imp.resolve("split_3/test_scores.json").toFile());
        assertEquals(test.get("rmse").asDouble(), scores.get("rmse").asDouble(), 1e-5);
        assertEquals(test.get("pearson").asDouble(), scores.get("pcc").asDouble(), 1e-5);
        assertEquals(test.get("n").asInt(), Files.readAllLines(imp.resolve("split_3/test_y_data_predicted.csv")).size() - 1);

        // the run's bundle scores IMPROVE's own files: expression with its three header lines, the precomputed ECFP4 bits
        Path bundle = dir.resolve("model.zip");
        assertEquals(0, cli("export", run.getFileName().toString(), "--runs-dir", dir.resolve("runs").toString(), "--out", bundle.toString()).code());
        Path in = Files.createDirectories(dir.resolve("in"));
        Path xData = Path.of("datasets/improve-example/csa_data/raw_data/x_data");
        Files.copy(xData.resolve("cancer_gene_expression.tsv"), in.resolve("gene_expression.tsv"));
        Files.copy(xData.resolve("drug_ecfp4_nbits512.tsv"), in.resolve("drugs.tsv"));
        List<String> predictions = Files.readAllLines(run.resolve("predictions.csv"));
        List<String> pairs = new ArrayList<>(List.of("sample,drug"));
        predictions.subList(1, predictions.size()).forEach(l -> pairs.add(l.split(",")[0] + "," + l.split(",")[1]));
        Files.write(in.resolve("pairs.csv"), pairs);
        Path scored = dir.resolve("scored.csv");
        Outcome p = cli("predict", bundle.toString(), "--input", in.toString(), "--out", scored.toString());
        assertEquals(0, p.code(), p.err());
        List<String> out = Files.readAllLines(scored);
        assertEquals(predictions.size(), out.size());
        for (int r = 1; r < out.size(); r++) {
            String[] a = predictions.get(r).split(",");
            String[] b = out.get(r).split(",");
            assertEquals(a[0] + "," + a[1], b[0] + "," + b[1]);
            assertEquals(Double.parseDouble(a[3]), Double.parseDouble(b[2]), 1e-5, "the bundle predicts what the run predicted");
        }
    }
}
