package org.oncobench.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.preprocessor.MultiNormalizerStandardize;
import org.nd4j.linalg.dataset.api.preprocessor.stats.DistributionStats;
import org.nd4j.linalg.factory.Nd4j;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.data.Cohort;
import org.oncobench.data.FeatureTable;
import org.oncobench.data.FittedTransforms;
import org.oncobench.runs.Json;
import org.oncobench.runs.RunFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code model.zip}: the DL4J ComputationGraph with its updater, a DL4J {@link MultiNormalizerStandardize} with one
 * set of statistics per named input (so the file is usable from plain DL4J), and {@code input_schema.json} with each
 * input table's exact column order. The file appears atomically.
 */
public final class ModelArchive {
    public static final String FILE = "model.zip";
    public static final String SCHEMA_ENTRY = "input_schema.json";

    private ModelArchive() {
    }

    public static void write(RunFolder run, ComputationGraph net, Cohort prepared, FittedTransforms transforms, ExperimentConfig config)
            throws IOException {
        write(run, net, prepared, transforms, null, config);
    }

    /**
     * A trained model: with {@code model.ensemble}, members 1..K-1 first as {@code ensemble/member-m.zip} (without updaters),
     * then {@code model.zip} (member 0) whose schema names the ensemble, so a model.zip never points at missing members. One
     * network: exactly the layout of {@link #write(RunFolder, ComputationGraph, Cohort, FittedTransforms, org.oncobench.eval.ResidualTarget,
     * ExperimentConfig)}.
     */
    public static void write(RunFolder run, TrainedModel trained, ExperimentConfig config) throws IOException {
        List<ComputationGraph> others = trained.others();
        for (int m = 1; m <= others.size(); m++) {
            Files.createDirectories(run.file(ENSEMBLE_DIR));
            Path tmp = run.file(ENSEMBLE_DIR).resolve(".member-" + m + ".zip.tmp");
            org.oncobench.model.ModelZip.write(others.get(m - 1), tmp, false);
            RunFolder.moveIntoPlace(tmp, run.file(ENSEMBLE_DIR).resolve(memberFile(m)));
        }
        write(run, trained.net(), trained.prepared(), trained.transforms(), trained.residual(), config);
    }

    /** The run folder's directory of ensemble members 1..K-1 (model.ensemble, or uncertainty.kind: ensemble). */
    public static final String ENSEMBLE_DIR = "ensemble";

    /** Member m's file name under {@link #ENSEMBLE_DIR}. */
    public static String memberFile(int m) {
        return "member-" + m + ".zip";
    }

    /**
     * As above; with a residual target the schema also carries its naive predictor's table ({@code residual_target}),
     * which a bundle adds back to the network's output.
     */
    public static void write(RunFolder run, ComputationGraph net, Cohort prepared, FittedTransforms transforms,
                             org.oncobench.eval.ResidualTarget residual, ExperimentConfig config) throws IOException {
        List<DistributionStats> featureStats = new ArrayList<>();
        for (int i = 0; i < prepared.sampleTables().size(); i++) {
            FittedTransforms.TableTransform t = transforms.sampleTables().get(i);
            featureStats.add(new DistributionStats(Nd4j.create(t.mean(), 1, t.mean().length), Nd4j.create(t.sd(), 1, t.sd().length)));
        }
        for (FeatureTable t : prepared.drugTables()) {
            float[] ones = new float[t.width()];
            java.util.Arrays.fill(ones, 1f); // fingerprint bits are used as they are
            featureStats.add(new DistributionStats(Nd4j.create(new float[t.width()], 1, t.width()), Nd4j.create(ones, 1, t.width())));
        }
        MultiNormalizerStandardize normalizer = new MultiNormalizerStandardize();
        normalizer.setFeatureStats(featureStats);
        if (!transforms.classification()) {
            normalizer.fitLabel(true);
            normalizer.setLabelStats(List.of(new DistributionStats(Nd4j.create(new float[]{transforms.targetMean()}, 1, 1),
                    Nd4j.create(new float[]{transforms.targetSd()}, 1, 1))));
        }
        Path tmp = run.file("." + FILE + ".tmp");
        // one pass, DL4J's entries (ModelSerializer's writeModel(net, file, true, normalizer) fails in M2.1,
        // deeplearning4j#10154, and addNormalizerToModel/addObjectToFile each rewrite the whole zip)
        org.oncobench.model.ModelZip.write(net, tmp, true, normalizer, Map.of(SCHEMA_ENTRY, Json.write(schema(prepared, transforms, residual, config))));
        RunFolder.moveIntoPlace(tmp, run.file(FILE));
        Files.deleteIfExists(tmp);
    }

    static Map<String, Object> schema(Cohort prepared, FittedTransforms transforms, ExperimentConfig config) {
        return schema(prepared, transforms, null, config);
    }

    static Map<String, Object> schema(Cohort prepared, FittedTransforms transforms, org.oncobench.eval.ResidualTarget residual,
                                      ExperimentConfig config) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("format", "oncobench-input-schema/1");
        schema.put("target", prepared.targetName());
        schema.put("task", config.task().kind());
        if (config.task().isClassification()) {
            schema.put("positive", config.task().positive());
            if (config.task().threshold() != null) {
                schema.put("threshold", config.task().threshold());
            }
            schema.put("output", "probability of the positive class");
            // the network learns with balanced class weights (a 50/50 world): predictions move back to this prevalence
            Map<String, Object> prior = new LinkedHashMap<>(); // in this order: Map.of's changes from one JVM to the next
            prior.put("training_positive_rate", transforms.positiveRate());
            prior.put("rule", "p' = p pi / (p pi + (1 - p)(1 - pi)) with pi the training positive rate");
            schema.put("prior_correction", prior);
        } else {
            schema.put("output", prepared.targetName() + " in its own units");
            if (residual != null) {
                // the network predicts y - naive; the served value is network + naive (Predictor, batch scoring, REST)
                schema.put("residual_target", residual.table());
            }
        }
        if (config.model().members() > 1) {
            // model.ensemble: model.zip is member 0, ensemble/member-1..K-1.zip the others; the served value is their mean
            Map<String, Object> ensemble = new LinkedHashMap<>();
            ensemble.put("members", config.model().members());
            ensemble.put("bagging", config.model().bagging());
            ensemble.put("combine", "mean of the members' outputs in the target's units (probabilities for classification), summed in member "
                    + "order 0..K-1 then divided by K; a residual target's naive part added once after");
            schema.put("ensemble", ensemble);
        }
        schema.put("drug_input", prepared.hasDrugs());
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (int i = 0; i < prepared.sampleTables().size(); i++) {
            inputs.add(sampleInput(prepared.sampleTables().get(i), transforms.sampleTables().get(i), config));
        }
        for (FeatureTable t : prepared.drugTables()) {
            inputs.add(drugInput(t, config.data().drugs().get(t.name())));
        }
        schema.put("inputs", inputs);
        schema.put("input_width", prepared.inputWidth());
        return schema;
    }

    /** A sample table's entry: its columns and missing-value rule (matrix) or its tile size (images). */
    private static Map<String, Object> sampleInput(FeatureTable t, FittedTransforms.TableTransform tt, ExperimentConfig config) {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("name", t.name());
        in.put("entity", "sample");
        if (config.data().samples().get(t.name()) instanceof ExperimentConfig.MatrixTableConfig matrix) {
            in.put("kind", "matrix");
            in.put("id_column", matrix.id());
            in.put("columns", t.columns());
            in.put("missing", tt.fill() == null ? "fail" : "median");
            if (matrix.log1p()) {
                in.put("transform", "log1p"); // ln(1 + x) of the raw values, before standardisation
            }
            if (matrix.ignore() != null && !matrix.ignore().isEmpty()) {
                in.put("ignore", matrix.ignore());
            }
            if (matrix.headerLines() > 1) {
                in.put("header_rows", matrix.headerLines()); // IMPROVE's omics files: one header line per gene identifier system
                in.put("name_row", matrix.namesLine());
            }
            if (tt.fill() != null) {
                in.put("fill", tt.fill()); // training medians per column, used for missing values
            }
        } else if (config.data().samples().get(t.name()) instanceof ExperimentConfig.ImageTableConfig images) {
            in.put("kind", "image");
            in.put("image_size", images.size());
            in.put("tiles", "mean of a sample's tiles, pixels scaled to [0, 1]");
        }
        in.put("width", t.width());
        return in;
    }

    /**
     * A drug table's entry: the ECFP settings a SMILES is fingerprinted with, and the fingerprints of the drugs the run
     * trained on (chemistry, not patient data) by id, so a request may name one of them by its id alone.
     */
    private static Map<String, Object> drugInput(FeatureTable t, ExperimentConfig.FingerprintTableConfig f) {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("name", t.name());
        in.put("entity", "drug");
        in.put("kind", "fingerprint");
        in.put("id_column", f.id());
        in.put("known_drugs", knownDrugs(t));
        Map<String, Object> fingerprint = new LinkedHashMap<>();
        if (f.isPrecomputed()) { // bits as the study released them: a request sends them, no SMILES can reproduce them
            fingerprint.put("kind", "precomputed");
            fingerprint.put("columns", t.columns());
            in.put("fingerprint", fingerprint);
            in.put("width", t.width());
            return in;
        }
        fingerprint.put("kind", "ecfp");
        fingerprint.put("radius", f.radius());
        fingerprint.put("bits", f.bits());
        fingerprint.put("smiles_column", f.smiles());
        in.put("fingerprint", fingerprint);
        in.put("width", t.width());
        return in;
    }

    /**
     * The table's drugs by id: a fingerprint of 0/1 bits as the indices of its set bits ({@code {"bits": [..]}}), any
     * other as its values ({@code {"values": [..]}}), in column order.
     */
    static Map<String, Object> knownDrugs(FeatureTable t) {
        Map<String, Object> drugs = new java.util.TreeMap<>();
        float[] row = new float[t.width()];
        for (int r = 0; r < t.rows(); r++) {
            t.copyRow(r, row, 0);
            boolean binary = true;
            List<Integer> set = new ArrayList<>();
            for (int c = 0; c < row.length; c++) {
                binary &= row[c] == 0f || row[c] == 1f;
                if (row[c] == 1f) {
                    set.add(c);
                }
            }
            drugs.put(t.ids().get(r), binary ? Map.of("bits", set) : Map.of("values", row.clone()));
        }
        return drugs;
    }
}
