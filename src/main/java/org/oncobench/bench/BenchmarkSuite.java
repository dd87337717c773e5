package org.oncobench.bench;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.config.ExperimentLoader;
import org.oncobench.data.Cohort;
import org.oncobench.data.CohortBuilder;
import org.oncobench.data.FittedTransforms;
import org.oncobench.data.Fold;
import org.oncobench.data.GatheringIterator;
import org.oncobench.data.SplitAssignment;
import org.oncobench.data.SplitPlanner;
import org.oncobench.data.TransformFitter;
import org.oncobench.data.synth.SynthSpec;
import org.oncobench.data.synth.SyntheticCohortGenerator;
import org.oncobench.eval.RegressionMetrics;
import org.oncobench.eval.TreeEnsemble;
import org.oncobench.export.Bundle;
import org.oncobench.export.BundleWriter;
import org.oncobench.export.Predictor;
import org.oncobench.export.RestServer;
import org.oncobench.model.ModelRegistry;
import org.oncobench.model.ModelSpec;
import org.oncobench.model.Speedups;
import org.oncobench.runs.RunStore;
import org.oncobench.train.ExperimentRunner;
import org.oncobench.train.RunResult;
import org.oncobench.train.TrainingProgress;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Measures what a researcher waits for: training throughput (samples/s, after warm-up epochs covering 100 steps) of the quickstart MLP
 * and the multimodal model, the data pipeline's share of an epoch, the end-to-end wall time of a whole experiment,
 * optionally the same at GDSC scale, batch-predict throughput and REST latency (p50/p99). Each case returns numbers; the
 * caller writes them.
 */
public final class BenchmarkSuite {
    private final Path workDir;
    private final Consumer<String> status;

    public BenchmarkSuite(Path workDir, Consumer<String> status) {
        this.workDir = workDir;
        this.status = status;
    }

    /** Raw training throughput of an experiment's model on its own data: warm-up epochs, then timed epochs. */
    public Map<String, Object> training(Path experiment, List<String> overrides, int epochs) {
        status.accept("training throughput: " + experiment + " " + overrides);
        long t0 = System.nanoTime();
        Prepared p = prepare(experiment, overrides);
        ExperimentConfig config = p.config();
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        int[] train = p.trainRows(0);
        ComputationGraph net = ModelRegistry.forKind(config.model().kind()).build(p.spec());
        GatheringIterator it = p.batches(train);
        warmUp(it, w -> net.fit(it)); // JIT, workspaces, native init
        long gatherBefore = it.gatherNanos();
        double[] epochSeconds = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            it.startEpoch(e + 1);
            long s = System.nanoTime();
            net.fit(it);
            epochSeconds[e] = (System.nanoTime() - s) / 1e9;
        }
        double total = Arrays.stream(epochSeconds).sum();
        double gather = (it.gatherNanos() - gatherBefore) / 1e9;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("experiment", experiment.getFileName().toString());
        out.put("model", config.model().kind());
        out.put("train_rows", train.length);
        out.put("inputs", p.prepared().inputWidth());
        out.put("parameters", net.numParams());
        out.put("batch", config.training().batch());
        out.put("epochs_timed", epochs);
        out.put("load_seconds", loadSeconds);
        out.put("epoch_seconds_median", median(epochSeconds));
        out.put("samples_per_second", train.length * (double) epochs / total);
        out.put("step_ms", 1000 * total / (epochs * (double) it.batchesPerEpoch()));
        out.put("pipeline_share", gather / total);
        return out;
    }

    /**
     * Each speed-up against DL4J's own code, in one process: one network per variant (same data, seed and batches),
     * trained an epoch each in turn, {@code rounds} times after warm-up epochs, so machine noise hits every variant alike.
     * Reports each variant's median step time and its speed against DL4J's layers and updater. {@code maxRows} caps the
     * training rows per epoch (0: all).
     */
    public Map<String, Object> levers(Path experiment, List<String> overrides, int rounds, int maxRows) {
        status.accept("speed-ups against DL4J's own layers and updater: " + experiment + " " + overrides);
        Map<String, Speedups> variants = new LinkedHashMap<>();
        variants.put("dl4j", Speedups.NONE);
        variants.put("lean_layers", new Speedups(true, false, false));
        variants.put("lean_layers+fast_l2", new Speedups(true, false, true));
        variants.put("lean_layers+fast_l2+fast_adam", new Speedups(true, true, true));
        variants.put("lean_layers+fast_l2+fast_adam+lean_conv", new Speedups(true, true, true, true));
        return sideBySide(experiment, overrides, rounds, maxRows, variants);
    }

    /**
     * The lean convolution ({@link Speedups#leanConv}) against DL4J's convolution layer, every other speed-up on in both:
     * the multimodal step with the image branch's first convolution as DL4J's layer and as the lean one, side by side as
     * in {@link #levers}.
     */
    public Map<String, Object> leanConv(Path experiment, List<String> overrides, int rounds, int maxRows) {
        status.accept("lean convolution against DL4J's: " + experiment + " " + overrides);
        Map<String, Speedups> variants = new LinkedHashMap<>();
        variants.put("stock_conv", new Speedups(true, true, true, false));
        variants.put("lean_conv", new Speedups(true, true, true, true));
        return sideBySide(experiment, overrides, rounds, maxRows, variants);
    }

    /** One network per variant, trained an epoch each in turn; speeds against the first variant. */
    private Map<String, Object> sideBySide(Path experiment, List<String> overrides, int rounds, int maxRows, Map<String, Speedups> variants) {
        Prepared p = prepare(experiment, overrides);
        ExperimentConfig config = p.config();
        int[] train = p.trainRows(maxRows);
        ModelSpec spec = p.spec();
        List<String> names = new ArrayList<>(variants.keySet());
        Map<String, ComputationGraph> nets = new LinkedHashMap<>();
        Map<String, GatheringIterator> iterators = new LinkedHashMap<>();
        Map<String, double[]> seconds = new LinkedHashMap<>();
        for (String name : names) {
            ComputationGraph net = ModelRegistry.forKind(config.model().kind()).build(spec.withSpeedups(variants.get(name)));
            nets.put(name, net);
            GatheringIterator it = p.batches(train);
            warmUp(it, w -> net.fit(it));
            iterators.put(name, it);
            seconds.put(name, new double[rounds]);
        }
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < names.size(); k++) {
                String name = names.get((r + k) % names.size()); // a different variant goes first each round
                GatheringIterator it = iterators.get(name);
                it.startEpoch(r + 1);
                long s = System.nanoTime();
                nets.get(name).fit(it);
                seconds.get(name)[r] = (System.nanoTime() - s) / 1e9;
            }
            status.accept("  round " + (r + 1) + "/" + rounds);
        }
        String first = names.get(0);
        int batches = iterators.get(first).batchesPerEpoch();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("experiment", experiment.getFileName().toString());
        out.put("model", config.model().kind());
        out.put("train_rows", train.length);
        out.put("parameters", nets.get(first).numParams());
        out.put("batch", config.training().batch());
        out.put("rounds", rounds);
        double reference = median(seconds.get(first));
        for (String name : names) {
            Map<String, Object> v = new LinkedHashMap<>();
            double m = median(seconds.get(name));
            v.put("step_ms", 1000 * m / batches);
            double[] steps = Arrays.stream(seconds.get(name)).map(x -> 1000 * x / batches).toArray();
            v.put("step_ms_min", Arrays.stream(steps).min().orElse(Double.NaN));
            v.put("step_ms_max", Arrays.stream(steps).max().orElse(Double.NaN));
            v.put("speed_vs_" + first, reference / m);
            out.put(name, v);
        }
        return out;
    }

    /**
     * Data parallelism ({@code training.workers}): the same network trained with 1 and with 2 workers (DL4J's
     * ParallelWrapper, parameters averaged after every round), an epoch each in turn, {@code rounds} times after warm-up
     * epochs. Reports samples per second and the validation RMSE each reaches after the timed epochs (two workers
     * average two mini-batches per step, so an epoch takes half as many steps). {@code maxRows} caps the training rows
     * per epoch (0: all).
     */
    public Map<String, Object> workers(Path experiment, List<String> overrides, int rounds, int maxRows) {
        status.accept("data parallelism, 1 and 2 workers: " + experiment + " " + overrides);
        Prepared p = prepare(experiment, overrides);
        ExperimentConfig config = p.config();
        int[] train = p.trainRows(maxRows);
        int[] validation = p.fold().assignment().rows(SplitAssignment.VALIDATION);
        ModelSpec spec = p.spec();
        int[] counts = {1, 2};
        ComputationGraph[] nets = new ComputationGraph[counts.length];
        GatheringIterator[] its = new GatheringIterator[counts.length];
        double[][] seconds = new double[counts.length][rounds];
        for (int k = 0; k < counts.length; k++) {
            nets[k] = ModelRegistry.forKind(config.model().kind()).build(spec);
            its[k] = p.batches(train);
            ComputationGraph net = nets[k];
            GatheringIterator it = its[k];
            int workers = counts[k];
            warmUp(it, w -> fit(net, it, workers, config.seed(), w));
        }
        for (int r = 0; r < rounds; r++) {
            for (int j = 0; j < counts.length; j++) {
                int k = (r + j) % counts.length;
                its[k].startEpoch(r + 1);
                long s = System.nanoTime();
                fit(nets[k], its[k], counts[k], config.seed(), r + 1);
                seconds[k][r] = (System.nanoTime() - s) / 1e9;
            }
            status.accept("  round " + (r + 1) + "/" + rounds);
        }
        double[] observed = IntStream.of(validation).mapToDouble(i -> p.cohort().targets()[i]).toArray();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("experiment", experiment.getFileName().toString());
        out.put("train_rows", train.length);
        out.put("batch", config.training().batch());
        out.put("rounds", rounds);
        out.put("omp_num_threads", System.getenv("OMP_NUM_THREADS"));
        for (int k = 0; k < counts.length; k++) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("samples_per_second", train.length / median(seconds[k]));
            double[] predicted = org.oncobench.train.BatchPredictor.predict(nets[k], p.prepared(), validation, p.transforms(), 512);
            v.put("validation_rmse_after", RegressionMetrics.of(observed, predicted).rmse());
            out.put(counts[k] + "_worker" + (counts[k] == 1 ? "" : "s"), v);
        }
        return out;
    }

    private static void fit(ComputationGraph net, GatheringIterator it, int workers, long seed, int epoch) {
        org.oncobench.model.Seeds.seedNd4j(seed * 7_919L + epoch);
        if (workers > 1) {
            org.oncobench.train.DataParallel.fitEpoch(net, it, workers, seed, epoch, List.of());
        } else {
            net.fit(it);
        }
    }

    /**
     * Warm-up before timing: steps the JIT needs before a step's time settles; it keeps compiling DL4J's per-op Java for a
     * few hundred steps (quickstart MLP: 11.3 ms per step timed after one 36-step epoch, 8.7 ms after ten).
     * benchmarks/pytorch/bench.py uses the same rule.
     */
    static final int WARMUP_STEPS = 100;

    /** Whole epochs covering at least {@link #WARMUP_STEPS} steps, at most 3. */
    static int warmupEpochs(int batchesPerEpoch) {
        return Math.max(1, Math.min(3, (WARMUP_STEPS + batchesPerEpoch - 1) / Math.max(1, batchesPerEpoch)));
    }

    /** An experiment's data read, split (first fold) and transformed as a run would, for the cases that time one part of it. */
    private record Prepared(ExperimentConfig config, Cohort cohort, Fold fold, FittedTransforms transforms, Cohort prepared) {
        /** The network's spec, as a run builds it (default speed-ups). */
        ModelSpec spec() {
            return new ModelSpec(config.model(), config.training().optimizer(), org.oncobench.train.FoldTrainer.inputs(prepared, config),
                    config.seed(), config.task().isClassification() ? transforms.classWeights() : null);
        }

        /** The fold's training rows, the first {@code maxRows} of them when that is above 0. */
        int[] trainRows(int maxRows) {
            int[] train = fold.assignment().rows(SplitAssignment.TRAIN);
            return maxRows > 0 && train.length > maxRows ? Arrays.copyOf(train, maxRows) : train;
        }

        /** Shuffled batches of {@code rows}, as training draws them. */
        GatheringIterator batches(int[] rows) {
            return new GatheringIterator(prepared, rows, config.training().batch(), transforms, config.seed(), true);
        }
    }

    /** Warm-up epochs (see {@link #WARMUP_STEPS}), each given to {@code fitEpoch} with its (negative) epoch number. */
    private static void warmUp(GatheringIterator it, java.util.function.IntConsumer fitEpoch) {
        for (int w = 0; w < warmupEpochs(it.batchesPerEpoch()); w++) {
            it.startEpoch(-w);
            fitEpoch.accept(-w);
        }
    }

    private static Prepared prepare(Path experiment, List<String> overrides) {
        ExperimentConfig config = new ExperimentLoader().load(experiment, overrides).config();
        Cohort cohort = new CohortBuilder().build(config.data(), config.task());
        Fold fold = new SplitPlanner().plan(cohort, config.split(), config.seed(), config.task().isClassification()).get(0);
        FittedTransforms transforms = new TransformFitter().fit(cohort, fold.assignment(), config.data().samples(), config.task().isClassification());
        return new Prepared(config, cohort, fold, transforms, transforms.apply(cohort));
    }

    /**
     * The tree-ensemble baselines on an experiment's training rows (tuned on its validation rows): fit time, chosen
     * settings, test RMSE, and the process's peak memory after each.
     */
    public Map<String, Object> trees(Path experiment, List<String> overrides) {
        status.accept("tree ensembles: " + experiment + " " + overrides);
        Prepared p = prepare(experiment, overrides);
        ExperimentConfig config = p.config();
        Fold fold = p.fold();
        Cohort cohort = p.cohort();
        Cohort prepared = p.prepared();
        int[] train = fold.assignment().rows(SplitAssignment.TRAIN);
        int[] validation = fold.assignment().rows(SplitAssignment.VALIDATION);
        int[] test = fold.assignment().rows(SplitAssignment.TEST);
        double[] observed = IntStream.of(test).mapToDouble(r -> cohort.targets()[r]).toArray();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("train_rows", train.length);
        out.put("inputs", prepared.inputWidth());
        for (TreeEnsemble.Kind kind : TreeEnsemble.Kind.values()) {
            String name = kind.name().toLowerCase(Locale.ROOT);
            status.accept("  " + name + ": fitting on " + train.length + " rows x " + prepared.inputWidth() + " inputs");
            long t0 = System.nanoTime();
            TreeEnsemble t = TreeEnsemble.fit(kind, prepared, train, validation, config.task().isClassification(), config.seed(),
                    Runtime.getRuntime().availableProcessors());
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("fit_seconds", seconds);
            m.put("settings", t.settings());
            m.put("test_rmse", RegressionMetrics.of(observed, t.predict(prepared, test)).rmse());
            m.put("peak_rss_mb_after", peakRssMb());
            status.accept(String.format(Locale.ROOT, "  %s: %.0f s, test RMSE %.3f, peak RSS %.0f MB", name, seconds, (double) m.get("test_rmse"),
                    (double) m.get("peak_rss_mb_after")));
            out.put(name, m);
        }
        return out;
    }

    /** The whole experiment as `oncobench run` does it (read, join, split, fit transforms, train, evaluate, write). */
    public Map<String, Object> endToEnd(Path experiment, List<String> overrides) {
        status.accept("end to end: " + experiment + " " + overrides);
        Path runs = workDir.resolve("runs");
        long t0 = System.nanoTime();
        RunResult r = new ExperimentRunner(new RunStore(runs), TrainingProgress.QUIET, m -> { })
                .run(new ExperimentLoader().load(experiment, overrides));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("experiment", experiment.getFileName().toString());
        out.put("wall_seconds", (System.nanoTime() - t0) / 1e9);
        out.put("load_seconds", r.loadSeconds());
        out.put("train_seconds", r.trainSeconds());
        out.put("test_rows", r.testRows());
        out.put("run_id", r.runId());
        return out;
    }

    /** Batch-predict throughput and REST latency of the bundle exported from a run. */
    public Map<String, Object> serving(String runId, Path experimentData, int predictions, int requests) throws IOException, InterruptedException {
        status.accept("predict and serve: run " + runId);
        Path bundlePath = workDir.resolve("bench-model.zip");
        new BundleWriter().export(new RunStore(workDir.resolve("runs")), runId, bundlePath);
        Bundle bundle = Bundle.open(bundlePath);
        Predictor predictor = bundle.predictor();
        List<String> lines = Files.readAllLines(experimentData.resolve("OmicsExpressionProteinCodingGenesTPMLogp1.csv"));
        String[] genes = lines.get(0).split(",");
        List<Predictor.Sample> samples = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] v = line.split(",");
            Map<String, Double> expr = new LinkedHashMap<>();
            for (int i = 1; i < genes.length; i++) {
                expr.put(genes[i], Double.parseDouble(v[i]));
            }
            samples.add(new Predictor.Sample(v[0], Map.of("expression", expr)));
        }
        List<String[]> drugs = new ArrayList<>();
        for (String line : Files.readAllLines(experimentData.resolve("drugs.csv")).subList(1, 5)) {
            String[] c = line.split(",");
            drugs.add(new String[]{c[0], c[4]});
        }
        List<Predictor.Request> batch = new ArrayList<>();
        for (int i = 0; i < predictions; i++) {
            String[] d = drugs.get(i % drugs.size());
            batch.add(new Predictor.Request(samples.get(i % samples.size()), Predictor.Drug.ofSmiles(d[0], d[1])));
        }
        predictor.predict(batch.subList(0, Math.min(500, batch.size()))); // warm-up
        long t0 = System.nanoTime();
        predictor.predict(batch);
        double predictSeconds = (System.nanoTime() - t0) / 1e9;
        double[] latencies = new double[requests];
        try (RestServer server = new RestServer(bundle, "127.0.0.1", 0, 4)) {
            server.start();
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/predict");
            for (int i = -20; i < requests; i++) { // 20 warm-up requests
                Predictor.Request q = batch.get(Math.floorMod(i, batch.size()));
                String body = org.oncobench.runs.Json.compact(Map.of("instances", List.of(Map.of("sample",
                        Map.of("id", q.sample().id(), "expression", q.sample().tables().get("expression")),
                        "drug", Map.of("id", q.drug().id(), "smiles", q.drug().smiles())))));
                long s = System.nanoTime();
                HttpResponse<String> resp = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (resp.statusCode() != 200) {
                    throw new IllegalStateException("serve answered " + resp.statusCode() + ": " + resp.body());
                }
                if (i >= 0) {
                    latencies[i] = (System.nanoTime() - s) / 1e6;
                }
            }
        }
        Arrays.sort(latencies);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("predictions", predictions);
        out.put("predictions_per_second", predictions / predictSeconds);
        out.put("serve_requests", requests);
        out.put("serve_p50_ms", latencies[requests / 2]);
        out.put("serve_p99_ms", latencies[Math.min(requests - 1, (int) Math.ceil(requests * 0.99) - 1)]);
        return out;
    }

    /** A GDSC-scale cohort (1,000 cell lines x 250 drugs x 19,000 genes), generated once under the work folder. */
    public Path gdscScaleData() {
        Path dir = workDir.resolve("gdsc-scale");
        if (!Files.isRegularFile(dir.resolve("ceiling.json"))) {
            status.accept("generating the GDSC-scale cohort in " + dir);
            new SyntheticCohortGenerator().generate(new SynthSpec(1000, 250, 19000, 1, 0, 16), dir, p -> { });
        }
        return dir;
    }

    /**
     * single_drug_elastic_net with its inner CV on matrices written by benchmarks/baselines-vs-sklearn.sh ({@code dir}:
     * meta.json with cells, genes, drugs; X.f32 cells x genes and Y.f32 cells x drugs, little-endian float32 row-major,
     * NaN = not measured; folds.i32, each cell line's inner fold), the drugs on {@code threads} threads. Writes each drug's
     * chosen values to {@code dir/oncobench-fits.csv} for the script's comparison; returns the wall time of the fits.
     */
    public Map<String, Object> singleDrugElasticNet(Path dir, int threads) throws IOException {
        com.fasterxml.jackson.databind.JsonNode meta = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("meta.json").toFile());
        int cells = meta.get("cells").asInt();
        int genes = meta.get("genes").asInt();
        int drugs = meta.get("drugs").asInt();
        long t0 = System.nanoTime();
        float[] x = floats(dir.resolve("X.f32"), cells * genes);
        float[] y = floats(dir.resolve("Y.f32"), cells * drugs);
        java.nio.ByteBuffer fb = java.nio.ByteBuffer.wrap(Files.readAllBytes(dir.resolve("folds.i32"))).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int[] folds = new int[cells];
        fb.asIntBuffer().get(folds);
        double readSeconds = (System.nanoTime() - t0) / 1e9;
        status.accept(String.format(Locale.ROOT, "single_drug_elastic_net: %d drugs x %d cell lines x %d genes on %d thread(s) ...", drugs, cells, genes,
                threads));
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(Math.max(1, threads));
        List<org.oncobench.eval.PerDrugElasticNetCV.DrugFit> fits;
        long t1 = System.nanoTime();
        try {
            fits = org.oncobench.eval.PerDrugElasticNetCV.fit(x, cells, genes, y, drugs, folds, pool);
        } finally {
            pool.shutdownNow();
        }
        double fitSeconds = (System.nanoTime() - t1) / 1e9;
        StringBuilder csv = new StringBuilder("drug,rows,l1_ratio,lambda,cv_mse,nonzero,sweeps\n");
        for (var f : fits) {
            csv.append(String.format(Locale.ROOT, "%d,%d,%s,%s,%s,%d,%d%n", f.drug(), f.rows(), f.l1Ratio(), f.lambda(), f.cvMse(), f.nonzero(), f.sweeps()));
        }
        Files.writeString(dir.resolve("oncobench-fits.csv"), csv);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("drugs", drugs);
        out.put("cells", cells);
        out.put("genes", genes);
        out.put("threads", Math.max(1, threads));
        out.put("read_seconds", readSeconds);
        out.put("fit_seconds", fitSeconds);
        out.put("mean_inner_cv_mse", fits.stream().mapToDouble(org.oncobench.eval.PerDrugElasticNetCV.DrugFit::cvMse).average().orElse(Double.NaN));
        out.put("peak_rss_mb", peakRssMb());
        return out;
    }

    private static float[] floats(Path file, int count) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length != 4L * count) {
            throw new org.oncobench.config.BadInputException(file + ": expected " + count + " float32 values (" + 4L * count + " bytes), got " + bytes.length
                    + " bytes");
        }
        float[] out = new float[count];
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** Peak resident set size of this process so far (VmHWM), in MB; -1 where /proc is not available. */
    public static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Double.parseDouble(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
