package org.oncobench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-sample classification on real bladder-cancer expression (../shared/datasets/bladderbatch, 57 samples x 22,283
 * probes) with a k-fold grouped by processing batch: the honest setting, since batch is confounded with the label.
 */
class BladderBatchIT {
    static final Path DATA = Path.of("../shared/datasets/bladderbatch").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void batchGroupedKFoldReportsAucMeanAndSd() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(DATA.resolve("bladder_expr.csv.gz")),
                "skipped: the shared bladderbatch data is not beside the project (" + DATA + "); CI has it");
        Path yaml = dir.resolve("bladder.yaml");
        Files.writeString(yaml, """
                name: bladder-batch
                seed: 1
                data:
                  rows: {file: %1$s/bladder_pheno.csv.gz, sample: sample_id, target: cancer}
                  samples:
                    expression: {file: %1$s/bladder_expr.csv.gz, id: sample_id, select: {top_variance: 1000}}
                  groups:
                    batch: {file: %1$s/bladder_pheno.csv.gz, id: sample_id, column: batch}
                task: {kind: classification, positive: Cancer}
                split: {kind: kfold, folds: 5, repeats: 1, group: batch, validation: 0}
                model: {kind: mlp, hidden: [64], dropout: 0.2}
                training: {epochs: 30, batch: 16, optimizer: {kind: adam, lr: 0.001}}
                """.formatted(DATA));
        RunCommandIT.Result r = RunCommandIT.cli("run", yaml.toString(), "--runs-dir", dir.resolve("runs").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("AUC") && r.out().contains("±"), r.out());
        Path run = RunCommandIT.runFolders(dir.resolve("runs")).get(0);
        JsonNode m = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
        assertEquals("classification", m.get("task").asText());
        assertEquals(5, m.get("folds").size());
        // Each fold holds out exactly one whole batch (sizes 11, 18, 4, 5, 19 in some order).
        java.util.List<Integer> sizes = new java.util.ArrayList<>();
        m.get("folds").forEach(f -> sizes.add(f.get("test_rows").asInt()));
        java.util.Collections.sort(sizes);
        assertEquals(java.util.List.of(4, 5, 11, 18, 19), sizes);
        // Batches 1, 3 and 4 hold a single class, so AUC is defined in the two mixed folds only; the summary says so.
        JsonNode auc = m.get("summary").get("model").get("auc");
        assertEquals(2, auc.get("folds").asInt());
        assertTrue(auc.get("mean").asDouble() > 0.8, auc.toString());
        double[] defined = new double[2];
        int k = 0;
        for (JsonNode fold : m.get("folds")) {
            if (!fold.get("test").get("auc").isNull()) { // undefined in the single-class folds
                defined[k++] = fold.get("test").get("auc").asDouble();
            }
        }
        assertEquals(2, k);
        assertEquals(Math.abs(defined[0] - defined[1]) / Math.sqrt(2), auc.get("sd").asDouble(), 1e-12, "sample sd over the two folds");
        // Pooled out-of-fold AUC over all 57 samples beats the class prior.
        assertEquals(57, m.get("test").get("n").asInt());
        assertTrue(m.get("test").get("auc").asDouble() > 0.85, m.get("test").toString());
        assertTrue(m.get("test").get("auc").asDouble() > m.get("baselines").get("class_prior").get("auc").asDouble());
        // L2 logistic regression on the same 1,000 probes is the honest linear comparison: cancer vs normal bladder is separable
        // from expression, so it is far above chance, and the class prior is exactly chance
        double logistic = m.get("baselines").get("logistic").get("auc").asDouble();
        assertTrue(logistic > 0.8, m.get("baselines").toString());
        // within a fold the class prior is one constant: AUC exactly 0.5 wherever defined (pooled over folds it is not, since
        // each fold's prior differs: 0.168 here, the reason metrics are summarised per fold as well)
        JsonNode prior = m.get("summary").get("baselines").get("class_prior").get("auc");
        assertEquals(0.5, prior.get("mean").asDouble(), 1e-12);
        assertEquals(0.0, prior.get("sd").asDouble(), 1e-12);
        assertTrue(Files.size(run.resolve("roc.png")) > 5000);
        // the tree ensembles sit beside the model in every fold; without validation rows they use the documented defaults
        assertTrue(r.out().contains("  gbm ") && r.out().contains("  rf "), r.out());
        for (JsonNode fold : m.get("folds")) {
            assertEquals("default: no validation rows to tune on", fold.get("baseline_settings").get("gbm").get("chosen_by").asText());
            assertEquals(200, fold.get("baseline_settings").get("gbm").get("rounds").asInt());
            assertEquals(255, fold.get("baseline_settings").get("rf").get("num_leaves").asInt());
            assertTrue(fold.get("baselines").get("rf").has("ece"), fold.get("baselines").toString());
        }
        assertTrue(m.get("test").get("ece").asDouble() >= 0 && m.get("test").get("ece").asDouble() < 0.5, m.get("test").toString());
        assertTrue(m.get("baselines").get("rf").get("auc").asDouble() > 0.8, m.get("baselines").toString());
    }

    /**
     * logistic_l1 (liblinear's L1-regularised logistic regression, C by inner CV on each fold's training samples): sparse and
     * far above chance. Measured at seed 1: pooled out-of-fold AUC 0.918 over the 57 samples, 1.000 in both folds where AUC is
     * defined, 95 nonzero weights of 1,000 in the first fold.
     */
    @Test
    void sparseLogisticRegressionFindsCancerFromAFewProbes() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(DATA.resolve("bladder_expr.csv.gz")),
                "skipped: the shared bladderbatch data is not beside the project (" + DATA + "); CI has it");
        Path yaml = dir.resolve("bladder-l1.yaml");
        Files.writeString(yaml, """
                name: bladder-l1
                seed: 1
                data:
                  rows: {file: %1$s/bladder_pheno.csv.gz, sample: sample_id, target: cancer}
                  samples:
                    expression: {file: %1$s/bladder_expr.csv.gz, id: sample_id, select: {top_variance: 1000}}
                  groups:
                    batch: {file: %1$s/bladder_pheno.csv.gz, id: sample_id, column: batch}
                task: {kind: classification, positive: Cancer}
                split: {kind: kfold, folds: 5, repeats: 1, group: batch, validation: 0}
                model: {kind: mlp, hidden: [16]}
                training: {epochs: 2, batch: 16}
                evaluation: {baselines: [class_prior, logistic_l1], bootstrap: 0}
                """.formatted(DATA));
        RunCommandIT.Result r = RunCommandIT.cli("run", yaml.toString(), "--runs-dir", dir.resolve("runs").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("  logistic_l1 "), r.out());
        JsonNode m = new ObjectMapper().readTree(RunCommandIT.runFolders(dir.resolve("runs")).get(0).resolve("metrics.json").toFile());
        double auc = m.get("baselines").get("logistic_l1").get("auc").asDouble();
        assertTrue(auc > 0.85, "pooled out-of-fold AUC " + auc);
        assertTrue(auc > m.get("baselines").get("class_prior").get("auc").asDouble() + 0.5, m.get("baselines").toString());
        for (JsonNode fold : m.get("folds")) {
            JsonNode s = fold.get("baseline_settings").get("logistic_l1");
            assertEquals("liblinear L1R_LR", s.get("solver").asText());
            int nonzero = s.get("nonzero").asInt();
            assertTrue(nonzero > 0 && nonzero < 1000, "sparse: " + nonzero + " of 1,000 probes");
            assertTrue(s.get("C").asDouble() > 0 && s.has("inner_cv_auc"), s.toString());
        }
    }
}
