package org.oncobench.cli;

import org.oncobench.bench.BenchmarkSuite;
import org.oncobench.runs.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code oncobench bench}: measures training, end-to-end, predict and serve; writes JSON and markdown. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark training throughput (quickstart MLP, multimodal), end-to-end time, batch predict and serve latency; "
                + "optionally at GDSC scale. Results go to benchmarks/results/ as JSON and markdown.")
final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--cases", split = ",", defaultValue = "mlp,multimodal,end-to-end,serve",
            description = "Any of mlp, multimodal, end-to-end, serve, gdsc (GDSC-scale tree baselines, MLP and end to end), "
                    + "levers (each speed-up against DL4J's own layers and updater, side by side: MLP, multimodal, GDSC-scale MLP), "
                    + "conv (the multimodal step with the lean convolution against DL4J's, side by side), "
                    + "workers (training.workers 1 against 2: quickstart and GDSC-scale MLP), "
                    + "gdsc-trees (only the tree baselines), gdsc-nn (only the MLP step and end to end, what compare-pytorch.sh GDSC=1 "
                    + "compares), ui (the runs page and /api/runs over --ui-runs synthetic run folders), "
                    + "study (benchmarks/studies/workers.yaml with 1 and 2 workers, on threads and in child processes), "
                    + "baselines (single_drug_elastic_net with its inner CV on the matrices in --baseline-data, as "
                    + "benchmarks/baselines-vs-sklearn.sh writes them; only when named), "
                    + "gpu (a ready check: the quickstart for --epochs epochs on ND4J's CUDA backend and on its CPU backend, each in a "
                    + "fresh JVM: device, step time, test RMSE within a tolerance; exit code 1 when not ready; only when named) "
                    + "(default: ${DEFAULT-VALUE}).")
    List<String> cases;

    @Option(names = "--ui-runs", defaultValue = "10000", description = "Run folders the ui case generates (default: ${DEFAULT-VALUE}).")
    int uiRuns;

    @Option(names = "--epochs", defaultValue = "3", description = "Timed epochs per training case, after warm-up epochs covering 100 steps (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--out", defaultValue = "benchmarks/results", description = "Folder for the results (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--work", defaultValue = "target/bench", description = "Scratch folder: runs, bundles, GDSC-scale data (default: ${DEFAULT-VALUE}).")
    Path work;

    @Option(names = "--baseline-data", description = "For --cases baselines: the folder of matrices and folds benchmarks/baselines-vs-sklearn.sh writes.")
    Path baselineData;

    @Option(names = "--threads", description = "For --cases baselines: threads the drugs fit on (default: all cores).")
    Integer threads;

    @Option(names = "--json", description = "Print the results as JSON.")
    boolean json;

    @Option(names = "--tune-threads", description = "Measure the quickstart MLP step with 1..cores OpenMP threads (a child JVM each) "
            + "and save the fastest for the launcher in .oncobench-threads.")
    boolean tuneThreads;

    static final List<String> CASES = List.of("mlp", "multimodal", "end-to-end", "serve", "gdsc", "gdsc-trees", "gdsc-nn", "levers", "conv", "workers", "ui",
            "study", "baselines", "gpu");

    @Override
    public Integer call() throws IOException, InterruptedException {
        for (String c : cases) {
            if (!CASES.contains(c)) {
                throw new org.oncobench.config.BadInputException("--cases: unknown case '" + c + "'"
                        + org.oncobench.config.DidYouMean.hint(c, CASES)
                        + "; allowed: " + String.join(", ", CASES));
            }
        }
        if (tuneThreads) {
            return tuneThreads();
        }
        if (cases.contains("baselines") && (baselineData == null || !java.nio.file.Files.isRegularFile(baselineData.resolve("meta.json")))) {
            throw new org.oncobench.config.BadInputException("--cases baselines needs --baseline-data DIR with meta.json, X.f32, Y.f32 and folds.i32"
                    + (baselineData == null ? "" : " (no meta.json in " + baselineData + ")") + "; benchmarks/baselines-vs-sklearn.sh writes them");
        }
        PrintWriter err = spec.commandLine().getErr();
        BenchmarkSuite suite = new BenchmarkSuite(work.toAbsolutePath(), m -> {
            err.println(m);
            err.flush();
        });
        Map<String, Object> results = new LinkedHashMap<>();
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("omp_num_threads", System.getenv("OMP_NUM_THREADS"));
        machine.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("nd4j_build", System.getProperty("org.bytedeco.javacpp.platform.extension"));
        machine.put("javacpp_max_physical_bytes", org.bytedeco.javacpp.Pointer.maxPhysicalBytes()); // as JavaCPP read it
        results.put("machine", machine);
        Path quickstart = Path.of("experiments/quickstart.yaml");
        Path multimodal = Path.of("experiments/multimodal.yaml");
        if (cases.contains("mlp")) {
            results.put("mlp", suite.training(quickstart, List.of(), epochs));
        }
        if (cases.contains("multimodal")) {
            results.put("multimodal", suite.training(multimodal, List.of(), epochs));
        }
        String runId = null;
        if (cases.contains("end-to-end") || cases.contains("serve")) {
            // the same work as benchmarks/pytorch/bench.py's end-to-end case, whose only baseline is the drug mean (the
            // quickstart's full baseline set, trees included, is timed by `oncobench run` itself: see the README)
            Map<String, Object> e2e = suite.endToEnd(quickstart, List.of("evaluation.baselines=[drug_mean]"));
            results.put("end_to_end_quickstart", e2e);
            runId = (String) e2e.get("run_id");
        }
        if (cases.contains("serve")) {
            results.put("serve", suite.serving(runId, Path.of("datasets/synthetic"), 20_000, 300));
        }
        if (cases.contains("gdsc") || cases.contains("gdsc-trees") || cases.contains("gdsc-nn")) {
            List<String> gdsc = gdscOverrides(suite.gdscScaleData());
            // the trees first, so the peak memory they report is their own
            if (cases.contains("gdsc") || cases.contains("gdsc-trees")) {
                results.put("trees_gdsc_scale", suite.trees(quickstart, gdsc));
            }
            if (cases.contains("gdsc") || cases.contains("gdsc-nn")) {
                results.put("mlp_gdsc_scale", suite.training(quickstart, gdsc, 1));
                results.put("end_to_end_gdsc_scale", suite.endToEnd(quickstart, gdsc));
            }
        }
        if (cases.contains("levers")) {
            // each speed-up against DL4J's own layers and updater, side by side in this process
            Map<String, Object> levers = new LinkedHashMap<>();
            levers.put("mlp", suite.levers(quickstart, List.of(), Math.max(5, epochs), 0));
            levers.put("multimodal", suite.levers(multimodal, List.of(), Math.max(5, epochs), 0));
            levers.put("mlp_gdsc_scale", suite.levers(quickstart, gdscOverrides(suite.gdscScaleData()), Math.max(5, epochs), 256 * 40));
            results.put("levers", levers);
        }
        if (cases.contains("conv")) {
            // the image branch's first convolution as DL4J's layer and as LeanConvolutionLayer, side by side in this process
            results.put("conv", suite.leanConv(multimodal, List.of(), Math.max(5, epochs), 0));
        }
        if (cases.contains("workers")) {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("mlp", suite.workers(quickstart, List.of(), Math.max(5, epochs), 0));
            w.put("mlp_gdsc_scale", suite.workers(quickstart, gdscOverrides(suite.gdscScaleData()), Math.max(3, epochs), 256 * 80));
            results.put("workers", w);
        }
        if (cases.contains("ui")) {
            try {
                results.put("ui", new org.oncobench.bench.UiBenchmark(work.toAbsolutePath(), m -> {
                    err.println(m);
                    err.flush();
                }).run(uiRuns));
            } catch (Exception e) {
                throw new IllegalStateException("ui benchmark: " + e.getMessage(), e);
            }
        }
        if (cases.contains("baselines")) {
            results.put("single_drug_elastic_net", suite.singleDrugElasticNet(baselineData, threads == null ? Runtime.getRuntime().availableProcessors() : threads));
        }
        if (cases.contains("study")) {
            results.put("study_workers", studyWorkers(err));
        }
        boolean gpuReady = true;
        if (cases.contains("gpu")) {
            org.oncobench.bench.GpuCheck.Result gpu = new org.oncobench.bench.GpuCheck(work.toAbsolutePath(), m -> {
                err.println(m);
                err.flush();
            }).run(quickstart, Math.max(2, epochs));
            results.put("gpu", gpu.toMap());
            err.println("gpu: " + gpu.verdict());
            err.flush();
            gpuReady = gpu.ready();
        }
        results.put("peak_rss_mb", BenchmarkSuite.peakRssMb());
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(ZonedDateTime.now(ZoneOffset.UTC));
        Files.createDirectories(out);
        Files.writeString(out.resolve("bench-" + stamp + ".json"), Json.write(results));
        String md = markdown(results);
        Files.writeString(out.resolve("bench-" + stamp + ".md"), md);
        spec.commandLine().getOut().print(json ? Json.write(results) : md);
        spec.commandLine().getOut().flush();
        err.println("results: " + out.resolve("bench-" + stamp + ".json"));
        err.flush();
        return gpuReady ? 0 : 1;
    }

    /**
     * The same study four ways, each in a fresh JVM (so ND4J's thread settings start clean): 1 or 2 workers, on threads
     * or in child processes. Wall time per way; every way trains the same jobs to the same scores.
     */
    private Map<String, Object> studyWorkers(PrintWriter err) throws IOException, InterruptedException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<String, Object> measured = new LinkedHashMap<>();
        for (String mode : List.of("threads", "processes")) {
            for (int w : List.of(1, 2)) {
                Path runsDir = work.resolve("study-" + mode + "-" + w);
                if (Files.exists(runsDir)) {
                    try (var walk = Files.walk(runsDir)) {
                        for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                            Files.delete(f);
                        }
                    }
                }
                List<String> cmd = new java.util.ArrayList<>(List.of(javaBin, "-cp", System.getProperty("java.class.path"), Oncobench.class.getName(),
                        "study", "benchmarks/studies/workers.yaml", "--workers", String.valueOf(w), "--runs-dir", runsDir.toString()));
                if (mode.equals("processes")) {
                    cmd.add("--processes");
                }
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("study benchmark (" + mode + ", " + w + " workers) failed; rerun it with the command: "
                            + String.join(" ", cmd));
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                measured.put(mode + "_" + w + "_workers_seconds", seconds);
                err.printf(Locale.ROOT, "study, %s, %d worker(s): %.1f s%n", mode, w, seconds);
                err.flush();
            }
        }
        return measured;
    }

    /** Times the MLP step under each OpenMP thread count in a fresh JVM (ND4J reads the count once, at start-up). */
    private int tuneThreads() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        int cores = Runtime.getRuntime().availableProcessors();
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int best = 1;
        double bestMs = Double.POSITIVE_INFINITY;
        Map<String, Object> measured = new LinkedHashMap<>();
        for (int t = 1; t <= cores; t++) {
            ProcessBuilder pb = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), Oncobench.class.getName(), "bench",
                    "--cases", "mlp", "--epochs", String.valueOf(epochs), "--json", "--out", work.resolve("threads").toString(),
                    "--work", work.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("OMP_NUM_THREADS", String.valueOf(t));
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("benchmark with OMP_NUM_THREADS=" + t + " failed");
            }
            double ms = new com.fasterxml.jackson.databind.ObjectMapper().readTree(output).path("mlp").path("step_ms").asDouble();
            measured.put(String.valueOf(t), ms);
            err.printf(Locale.ROOT, "OMP_NUM_THREADS=%d: %.2f ms per MLP step%n", t, ms);
            err.flush();
            if (ms < bestMs) {
                bestMs = ms;
                best = t;
            }
        }
        Path file = Path.of(System.getProperty("oncobench.home", ".")).resolve(".oncobench-threads");
        Files.writeString(file, best + "\n");
        spec.commandLine().getOut().printf(Locale.ROOT, "fastest: OMP_NUM_THREADS=%d (%.2f ms per step); saved to %s for the launcher%n",
                best, bestMs, file.toAbsolutePath().normalize());
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The quickstart experiment pointed at the GDSC-scale cohort: 2,000 genes, 2,048 bits, 512-256, batch 256. */
    static List<String> gdscOverrides(Path data) {
        return List.of("data.rows.file=" + data.resolve("GDSC2_fitted_dose_response.csv"),
                "data.sample_ids.file=" + data.resolve("Model.csv"),
                "data.samples.expression.file=" + data.resolve("OmicsExpressionProteinCodingGenesTPMLogp1.csv"),
                "data.samples.expression.select={top_variance: 2000}", "data.drugs.fingerprints.file=" + data.resolve("drugs.csv"),
                "data.drugs.fingerprints.bits=2048", "data.groups.tissue.file=" + data.resolve("Model.csv"), "model.hidden=[512, 256]",
                "training.batch=256", "training.epochs=1", "evaluation.baselines=[drug_mean]");
    }

    static String markdown(Map<String, Object> results) {
        StringBuilder sb = new StringBuilder("| case | measure | value |\n|---|---|---|\n");
        results.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m) {
                m.forEach((mk, mv) -> rows(sb, k, String.valueOf(mk), mv));
            } else {
                sb.append("| ").append(k).append(" | | ").append(v instanceof Double d ? String.format(Locale.ROOT, "%.4g", d) : v).append(" |\n");
            }
        });
        return sb.toString();
    }

    /** One row per leaf; nested results (the levers case) get dotted measure names. */
    private static void rows(StringBuilder sb, String group, String measure, Object value) {
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> rows(sb, group, measure + "." + k, v));
            return;
        }
        sb.append("| ").append(group).append(" | ").append(measure).append(" | ")
                .append(value instanceof Double d ? String.format(Locale.ROOT, "%.4g", d) : value).append(" |\n");
    }
}
