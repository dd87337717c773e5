package org.oncobench.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.preprocessor.MultiNormalizerStandardize;
import org.nd4j.linalg.dataset.api.preprocessor.stats.DistributionStats;
import org.nd4j.linalg.factory.Nd4j;
import org.oncobench.config.ExperimentConfig.ConvConfig;
import org.oncobench.config.ExperimentConfig.ModelConfig;
import org.oncobench.config.ExperimentConfig.OptimizerConfig;
import org.oncobench.config.ExperimentConfig.ScheduleConfig;
import org.oncobench.data.Cohort;
import org.oncobench.data.FeatureTable;
import org.oncobench.data.FittedTransforms;
import org.oncobench.data.GatheringIterator;
import org.oncobench.model.InputSpec;
import org.oncobench.model.ModelRegistry;
import org.oncobench.model.ModelSpec;
import org.oncobench.model.ModelZip;
import org.oncobench.model.ModelZooFixtures;
import org.oncobench.model.Speedups;
import org.oncobench.runs.Json;
import org.oncobench.runs.RunFolder;
import org.oncobench.runs.RunStatus;
import org.oncobench.runs.RunStore;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;

/**
 * Bundles of every model kind, cheaply: the model zoo's small cohort (40 samples x 5 drugs; 12 omics features, 6 x 6
 * images, 16 fingerprint bits), a network trained on it for two epochs on standardised inputs (so batch
 * normalisation has running statistics), written as a run's model.zip with its normaliser and input schema, and
 * exported by {@link BundleWriter}. Also the rows' raw inputs and ONNX Runtime's predictions for them.
 */
public final class ZooBundles {
    private ZooBundles() {
    }

    /** One network: kind, branch, task, activation, batch normalisation, oncobench's lean layers or DL4J's own. */
    public record Case(String kind, String branch, boolean classification, String activation, boolean batchNorm, boolean lean, boolean images,
                       int kernel, int levels) {
        /** With the zoo's convolutions: two levels (4 and 8 filters), kernel 3, pooling 2. */
        public Case(String kind, String branch, boolean classification, String activation, boolean batchNorm, boolean lean, boolean images) {
            this(kind, branch, classification, activation, batchNorm, lean, images, 3, 2);
        }

        @Override
        public String toString() {
            return kind + "/" + branch + "/" + (classification ? "classification" : "regression") + "/" + activation + (batchNorm ? "/bn" : "")
                    + (lean ? "" : "/stock-layers") + (images ? "" : "/no-images") + (kernel == 3 && levels == 2 ? "" : "/kernel-" + kernel + "x" + levels);
        }
    }

    /** A bundle with the run it came from and the cohort whose rows it scores. */
    public record Made(Path bundle, RunStore store, String runId, Cohort cohort, ComputationGraph net) {
    }

    /** The zoo's cohort, without its image table when {@code images} is false (a model served from JSON needs no tiles). */
    public static Cohort cohort(boolean classification, boolean images) {
        Cohort c = ModelZooFixtures.cohort(classification);
        if (images) {
            return c;
        }
        return c.withTables(List.of(c.sampleTables().get(0)), c.drugTables());
    }

    public static ModelSpec spec(Case k, Cohort c) {
        ModelConfig m = new ModelConfig(k.kind(), List.of(16), 0.1, k.activation(), 1e-5, k.batchNorm(), k.branch(), List.of(16),
                new ConvConfig(k.levels() == 2 ? List.of(4, 8) : java.util.Collections.nCopies(k.levels(), 4), k.kernel(), 2), "mse");
        OptimizerConfig o = new OptimizerConfig("adam", 0.01, 0.9, 0, new ScheduleConfig("none", 0.9, 1));
        List<InputSpec> inputs = new ArrayList<>();
        inputs.add(InputSpec.flat("omics", InputSpec.Kind.OMICS, 12));
        if (k.images()) {
            inputs.add(InputSpec.image("images", 6, 6, 1));
        }
        inputs.add(InputSpec.flat("fingerprints", InputSpec.Kind.DRUG, 16));
        ModelSpec spec = new ModelSpec(m, o, inputs, 3, k.classification() ? new double[]{0.8, 1.3} : null);
        return k.lean() ? spec.withSpeedups(new Speedups(true, true, true, true)) : spec.withSpeedups(Speedups.NONE);
    }

    /** Per sample table, its columns' mean and sd over the samples. */
    static List<FittedTransforms.TableTransform> standardisation(Cohort c) {
        List<FittedTransforms.TableTransform> out = new ArrayList<>();
        for (FeatureTable t : c.sampleTables()) {
            int w = t.width();
            float[] mean = new float[w];
            float[] sd = new float[w];
            int[] columns = new int[w];
            for (int j = 0; j < w; j++) {
                columns[j] = j;
                double s = 0;
                double ss = 0;
                for (int r = 0; r < t.rows(); r++) {
                    s += t.get(r, j);
                    ss += (double) t.get(r, j) * t.get(r, j);
                }
                double mu = s / t.rows();
                mean[j] = (float) mu;
                sd[j] = (float) Math.sqrt(Math.max(ss / t.rows() - mu * mu, 1e-6));
            }
            out.add(new FittedTransforms.TableTransform(t.name(), columns, t.columns(), mean, sd, null));
        }
        return out;
    }

    /**
     * Trains the case's network for two epochs, then writes it as a completed run (model.zip with normaliser and
     * schema, experiment, metrics, provenance) under {@code dir} and exports its bundle.
     *
     * @param fill per sample table, training medians the schema records (missing: median), or none
     */
    public static Made make(Path dir, Case k, Map<String, float[]> fill) throws IOException {
        return make(dir, k, fill, null);
    }

    /** As {@link #make(Path, Case, Map)}, with {@code network} (null: the case's, from the registry) trained in its place. */
    public static Made make(Path dir, Case k, Map<String, float[]> fill, ComputationGraph network) throws IOException {
        Cohort c = cohort(k.classification(), k.images());
        double positives = 0;
        double sum = 0;
        double sumSq = 0;
        for (float y : c.targets()) {
            positives += y > 0.5 ? 1 : 0;
            sum += y;
            sumSq += (double) y * y;
        }
        int n = c.size();
        float targetMean = (float) (sum / n);
        float targetSd = (float) Math.sqrt(sumSq / n - (sum / n) * (sum / n));
        List<FittedTransforms.TableTransform> tables = standardisation(c);
        FittedTransforms t = k.classification() ? new FittedTransforms(tables, 0f, 1f, true, positives / n)
                : new FittedTransforms(tables, targetMean, targetSd, false, Double.NaN);
        Cohort prepared = t.apply(c);
        ComputationGraph net = network != null ? network : ModelRegistry.forKind(k.kind()).build(spec(k, c));
        int[] rows = java.util.stream.IntStream.range(0, n).toArray();
        GatheringIterator train = new GatheringIterator(prepared, rows, 32, t, 1, true);
        for (int epoch = 0; epoch < 2; epoch++) {
            train.reset();
            net.fit(train);
        }
        List<DistributionStats> stats = new ArrayList<>();
        for (FittedTransforms.TableTransform tt : tables) {
            stats.add(new DistributionStats(Nd4j.create(tt.mean(), 1, tt.mean().length), Nd4j.create(tt.sd(), 1, tt.sd().length)));
        }
        for (FeatureTable d : c.drugTables()) {
            float[] ones = new float[d.width()];
            java.util.Arrays.fill(ones, 1f);
            stats.add(new DistributionStats(Nd4j.create(new float[d.width()], 1, d.width()), Nd4j.create(ones, 1, d.width())));
        }
        MultiNormalizerStandardize normalizer = new MultiNormalizerStandardize();
        normalizer.setFeatureStats(stats);
        if (!k.classification()) {
            normalizer.fitLabel(true);
            normalizer.setLabelStats(List.of(new DistributionStats(Nd4j.create(new float[]{targetMean}, 1, 1), Nd4j.create(new float[]{targetSd}, 1, 1))));
        }
        Map<String, Object> schema = schema(c, k, positives / n, fill);
        RunStore store = new RunStore(dir.resolve("runs"));
        RunFolder run = store.create("zoo", "hash", "mixed", k.kind());
        ModelZip.write(net, run.file("model.zip"), false, normalizer, Map.of("input_schema.json", Json.write(schema)));
        run.writeText("experiment.yaml", "name: zoo\nseed: 3\nmodel: {kind: " + k.kind() + "}\n");
        run.writeText("provenance.json", "{\"versions\": {\"oncobench\": \"test\"}, \"inputs\": {}}");
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("task", k.classification() ? "classification" : "regression");
        metrics.put("target", "y");
        metrics.put("split", Map.of("kind", "mixed", "seed", 3, "train_rows", n, "train_samples", 40, "test_rows", n, "test_samples", 40));
        metrics.put("model", Map.of("kind", k.kind()));
        metrics.put("test", k.classification() ? Map.of("n", n, "auc", 0.5) : Map.of("n", n, "rmse", 1.0));
        metrics.put("baselines", Map.of());
        run.writeJson("metrics.json", metrics);
        run.finish(RunStatus.COMPLETED, null);
        Path bundle = dir.resolve(k.kind() + "-" + k.branch() + ".zip");
        new BundleWriter().export(store, run.id(), bundle);
        return new Made(bundle, store, run.id(), c, net);
    }

    /** The input schema as ModelArchive writes it, for the zoo's tables. */
    static Map<String, Object> schema(Cohort c, Case k, double positiveRate, Map<String, float[]> fill) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("format", "oncobench-input-schema/1");
        schema.put("target", "y");
        schema.put("task", k.classification() ? "classification" : "regression");
        if (k.classification()) {
            schema.put("positive", "responder");
            schema.put("output", "probability of the positive class");
            schema.put("prior_correction", Map.of("training_positive_rate", positiveRate, "rule", "p' = p pi / (p pi + (1 - p)(1 - pi))"));
        } else {
            schema.put("output", "y in its own units");
        }
        schema.put("drug_input", true);
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (FeatureTable t : c.sampleTables()) {
            Map<String, Object> in = new LinkedHashMap<>();
            in.put("name", t.name());
            in.put("entity", "sample");
            if (t.name().equals("images")) {
                in.put("kind", "image");
                in.put("image_size", List.of(6, 6, 1));
            } else {
                in.put("kind", "matrix");
                in.put("columns", t.columns());
                in.put("missing", fill.containsKey(t.name()) ? "median" : "fail");
                if (fill.containsKey(t.name())) {
                    in.put("fill", fill.get(t.name()));
                }
            }
            in.put("width", t.width());
            inputs.add(in);
        }
        for (FeatureTable t : c.drugTables()) {
            Map<String, Object> in = new LinkedHashMap<>();
            in.put("name", t.name());
            in.put("entity", "drug");
            in.put("kind", "fingerprint");
            in.put("fingerprint", Map.of("kind", "ecfp", "radius", 2, "bits", t.width(), "smiles_column", "SMILES"));
            in.put("width", t.width());
            inputs.add(in);
        }
        schema.put("inputs", inputs);
        return schema;
    }

    /** Row {@code r}'s raw value of every input, in feeding order (sample tables, then drug tables). */
    public static float[][] raw(Cohort c, int r) {
        List<FeatureTable> tables = new ArrayList<>(c.sampleTables());
        tables.addAll(c.drugTables());
        float[][] out = new float[tables.size()][];
        for (int k = 0; k < tables.size(); k++) {
            FeatureTable t = tables.get(k);
            int row = k < c.sampleTables().size() ? c.rowSample()[r] : c.rowDrug()[r];
            out[k] = new float[t.width()];
            for (int j = 0; j < t.width(); j++) {
                out[k][j] = t.get(row, j);
            }
        }
        return out;
    }

    /** The bundle's model.onnx. */
    public static byte[] onnx(Path bundle) throws IOException {
        try (ZipFile zip = new ZipFile(bundle.toFile())) {
            return zip.getInputStream(zip.getEntry(BundleFormat.ONNX)).readAllBytes();
        }
    }

    /** ONNX Runtime's predictions for {@code rows[i][k]} (input k of row i), by input name in feeding order. */
    public static double[] onnxRuntime(OrtSession session, List<String> names, float[][][] rows) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int n = rows.length;
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            for (int k = 0; k < names.size(); k++) {
                int w = rows[0][k].length;
                float[] flat = new float[n * w];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(rows[i][k], 0, flat, i * w, w);
                }
                feeds.put(names.get(k), OnnxTensor.createTensor(env, FloatBuffer.wrap(flat), new long[]{n, w}));
            }
            try (OrtSession.Result result = session.run(feeds)) {
                double[][] out = (double[][]) result.get("prediction").orElseThrow().getValue();
                double[] flat = new double[n];
                for (int i = 0; i < n; i++) {
                    flat[i] = out[i][0];
                }
                return flat;
            }
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    /** A network with an activation the exporter does not translate (cube). */
    public static ComputationGraph cubeNetwork() {
        ComputationGraph net = new ComputationGraph(new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().seed(1).graphBuilder()
                .addInputs("omics", "fingerprints").setInputTypes(org.deeplearning4j.nn.conf.inputs.InputType.feedForward(12), org.deeplearning4j.nn.conf.inputs.InputType.feedForward(16))
                .addVertex("merge", new org.deeplearning4j.nn.conf.graph.MergeVertex(), "omics", "fingerprints")
                .addLayer("hidden", new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nOut(8).activation(org.nd4j.linalg.activations.Activation.CUBE).build(), "merge")
                .addLayer("output", new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder(new org.nd4j.linalg.lossfunctions.impl.LossMSE()).nOut(1).activation(org.nd4j.linalg.activations.Activation.IDENTITY).build(), "hidden")
                .setOutputs("output").build());
        net.init();
        return net;
    }
}
