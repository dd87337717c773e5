package org.oncobench.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.oncobench.cli.Oncobench;
import org.oncobench.config.ExperimentLoader;
import org.oncobench.runs.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code oncobench bench --cases gpu}: is this machine ready to train on its GPU? The same short experiment runs twice,
 * each in a fresh JVM on this build's class path: once asking ND4J for its CUDA backend first, once for its CPU backend
 * first (ND4J's {@code BACKEND_PRIORITY_GPU} / {@code BACKEND_PRIORITY_CPU}). Ready means: the first JVM really ran on
 * CUDA (ND4J falls back to the CPU backend without a word when it finds no device or driver, so the run's provenance is
 * what counts), and its test RMSE is within {@link #RMSE_TOLERANCE} of the CPU run's. Each side reports its backend,
 * device, median step time and test RMSE. A build without a CPU backend (plain {@code -Pcuda}) is timed on the GPU but
 * has nothing to compare with: the check says so (build with {@code -Pcuda,cpu} for both).
 */
public final class GpuCheck {
    /**
     * Largest test-RMSE difference between the CUDA and the CPU run that still counts as the same model: float32 sums in
     * cuBLAS/cuDNN run in another order than in OpenBLAS/oneDNN, which moves a 10-epoch quickstart in the third decimal.
     */
    public static final double RMSE_TOLERANCE = 0.01;
    static final String CUDA_BACKEND = "JCublasBackend";
    static final String CPU_BACKEND = "CpuBackend";

    /** One side of the check: what the child JVM ran on and what it measured; {@code failure} when it did not finish. */
    public record Side(String asked, String backend, String device, Double testRmse, Double stepMs, String failure, String cudaError) {
        public Side(String asked, String backend, String device, Double testRmse, Double stepMs, String failure) {
            this(asked, backend, device, testRmse, stepMs, failure, null);
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("asked_for", asked);
            m.put("backend", backend);
            m.put("device", device);
            m.put("test_rmse", testRmse);
            m.put("step_ms", stepMs);
            if (failure != null) {
                m.put("failure", failure);
            }
            if (cudaError != null) {
                m.put("cuda_error", cudaError);
            }
            return m;
        }
    }

    /** The check's outcome: {@code ready} only when the GPU side ran on CUDA and matches the CPU side. */
    public record Result(Side gpu, Side cpu, boolean ready, String verdict) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ready", ready);
            m.put("verdict", verdict);
            m.put("rmse_tolerance", RMSE_TOLERANCE);
            m.put("gpu", gpu.toMap());
            m.put("cpu", cpu.toMap());
            if (gpu.testRmse() != null && cpu.testRmse() != null) {
                m.put("rmse_difference", gpu.testRmse() - cpu.testRmse());
            }
            if (gpu.stepMs() != null && cpu.stepMs() != null && CUDA_BACKEND.equals(gpu.backend())) {
                m.put("speedup", cpu.stepMs() / gpu.stepMs());
            }
            return m;
        }
    }

    private final Path workDir;
    private final Consumer<String> status;

    public GpuCheck(Path workDir, Consumer<String> status) {
        this.workDir = workDir;
        this.status = status;
    }

    /** Runs {@code experiment} for {@code epochs} epochs on each backend and judges the pair. */
    public Result run(Path experiment, int epochs) throws IOException, InterruptedException {
        List<String> overrides = List.of("training.epochs=" + epochs, "evaluation.baselines=[drug_mean]");
        int batch = new ExperimentLoader().load(experiment, overrides).config().training().batch();
        Side gpu = side("gpu", experiment, overrides, batch);
        Side cpu = side("cpu", experiment, overrides, batch);
        return judge(gpu, cpu);
    }

    /** The verdict on two measured sides (public for tests: the judging does not need a GPU). */
    public static Result judge(Side gpu, Side cpu) {
        if (gpu.failure() != null) {
            return new Result(gpu, cpu, false, "not ready: the run asking for CUDA failed: " + gpu.failure());
        }
        if (!CUDA_BACKEND.equals(gpu.backend())) {
            return new Result(gpu, cpu, false, "not ready: ND4J ran on " + gpu.backend() + ", not on CUDA (" + CUDA_BACKEND + "): "
                    + (gpu.cudaError() != null ? "its CUDA backend did not load: " + gpu.cudaError()
                    : CPU_BACKEND.equals(gpu.backend()) ? "this build has no CUDA backend (build with mvn -B -Pcuda,cpu -DskipTests package)"
                    : "unexpected backend"));
        }
        if (cpu.failure() != null || !CPU_BACKEND.equals(cpu.backend())) {
            return new Result(gpu, cpu, false, "GPU found (" + gpu.device() + ", " + fmt(gpu.stepMs()) + " ms per step) but not compared: "
                    + "this build has no CPU backend to compare with (build with mvn -B -Pcuda,cpu -DskipTests package)");
        }
        double diff = Math.abs(gpu.testRmse() - cpu.testRmse());
        if (diff > RMSE_TOLERANCE) {
            return new Result(gpu, cpu, false, String.format(Locale.ROOT, "not ready: test RMSE %.4f on the GPU against %.4f on the CPU, "
                    + "%.4f apart (tolerance %.2f)", gpu.testRmse(), cpu.testRmse(), diff, RMSE_TOLERANCE));
        }
        return new Result(gpu, cpu, true, String.format(Locale.ROOT, "ready: %s, %s ms per step against %s on the CPU; test RMSE %.4f vs %.4f "
                + "(within %.2f)", gpu.device(), fmt(gpu.stepMs()), fmt(cpu.stepMs()), gpu.testRmse(), cpu.testRmse(), RMSE_TOLERANCE));
    }

    private Side side(String asked, Path experiment, List<String> overrides, int batch) throws IOException, InterruptedException {
        Path runs = workDir.resolve("gpu-check-" + asked);
        deleteTree(runs);
        Files.createDirectories(runs);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx4g", "-cp",
                System.getProperty("java.class.path"), Oncobench.class.getName(), "run", experiment.toString(), "--runs-dir", runs.toString()));
        for (String o : overrides) {
            cmd.add("--set");
            cmd.add(o);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(runs.resolve("console.log").toFile());
        pb.environment().put("BACKEND_PRIORITY_GPU", asked.equals("gpu") ? "100" : "0");
        pb.environment().put("BACKEND_PRIORITY_CPU", asked.equals("gpu") ? "0" : "100");
        status.accept("gpu check: the experiment on the " + asked.toUpperCase(Locale.ROOT) + " backend first ...");
        int exit = pb.start().waitFor();
        Path run;
        try (var list = Files.list(runs)) {
            run = list.filter(p -> Files.isRegularFile(p.resolve("metrics.json"))).findFirst().orElse(null);
        }
        if (exit != 0 || run == null) {
            return new Side(asked, null, null, null, null, "exit code " + exit + "; " + lastLines(runs.resolve("console.log"), 3));
        }
        JsonNode metrics = Json.mapper().readTree(run.resolve("metrics.json").toFile());
        JsonNode backend = Json.mapper().readTree(run.resolve("provenance.json").toFile()).path("backend");
        return new Side(asked, backend.path("name").asText(null), backend.path("device").asText(null), metrics.path("test").path("rmse").asDouble(),
                stepMs(metrics, batch), null, cudaError(runs.resolve("console.log")));
    }

    /** Median epoch after the first (warm-up: JIT, workspaces, kernels) over the epoch's steps. */
    static double stepMs(JsonNode metrics, int batch) {
        JsonNode epochs = metrics.path("timing").path("epoch_seconds");
        double[] s = new double[Math.max(1, epochs.size() - 1)];
        for (int i = 0; i < s.length; i++) {
            s[i] = epochs.get(Math.min(epochs.size() - 1, i + 1)).asDouble();
        }
        Arrays.sort(s);
        double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        int steps = (metrics.path("split").path("train_rows").asInt() + batch - 1) / batch;
        return 1000 * median / steps;
    }

    /**
     * Why ND4J passed over its CUDA backend, as it logged it: the first error line naming CUDA (a missing driver shows as
     * {@code UnsatisfiedLinkError ... libcuda.so.1}, a machine without a device as "No CUDA devices"); null when none.
     */
    static String cudaError(Path log) throws IOException {
        if (!Files.isRegularFile(log)) {
            return null;
        }
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(l -> (l.contains("Error") || l.contains("Exception") || l.contains("No CUDA")) && l.toLowerCase(Locale.ROOT).contains("cuda"))
                .map(l -> l.replaceFirst("^.*?(java\\.lang\\.|org\\.)", "$1").trim()).findFirst().orElse(null);
    }

    private static String lastLines(Path log, int n) throws IOException {
        if (!Files.isRegularFile(log)) {
            return "no output";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        return String.join(" / ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    private static String fmt(Double ms) {
        return ms == null ? "?" : String.format(Locale.ROOT, "%.2f", ms);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
