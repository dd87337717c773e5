package org.oncobench.cli;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.data.FingerprintReader;
import org.oncobench.export.Bundle;
import org.oncobench.export.Predictor;
import org.oncobench.export.ZooBundles;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quickstart's model leaves the JVM's DL4J: {@code export --format onnx}, the model.onnx inside the bundle,
 * {@code export --card-only}, and the README's ScoreOnnx example, compiled and run as written with ONNX Runtime and
 * CDK alone on its class path (no DL4J, no ND4J), against the bundle's Predictor.
 */
class OnnxExportIT {
    @TempDir
    static Path dir;
    static Path runs;
    static String id;
    static Path bundle;

    @BeforeAll
    static void runAndExport() throws java.io.IOException {
        runs = dir.resolve("runs");
        RunCommandIT.Result run = RunCommandIT.cli("run", "experiments/quickstart.yaml", "--runs-dir", runs.toString(), "--set", "training.epochs=2",
                "--set", "evaluation.baselines=[drug_mean, group_drug_mean]");
        assertEquals(0, run.code(), run.err());
        id = RunCommandIT.runFolders(runs).get(0).getFileName().toString();
        bundle = dir.resolve("model.zip");
        RunCommandIT.Result export = RunCommandIT.cli("export", id, "--out", bundle.toString(), "--runs-dir", runs.toString());
        assertEquals(0, export.code(), export.err());
        assertFalse(export.out().contains("no model.onnx"), export.out());
    }

    static double scaled(double a, double b) {
        return Math.abs(a - b) / Math.max(Math.abs(b), 1);
    }

    @Test
    void formatOnnxWritesTheBundlesModelOnnxAndOnnxRuntimeMatchesTheBundleOnEveryTestRow() throws Exception {
        Path onnx = dir.resolve("model.onnx");
        RunCommandIT.Result r = RunCommandIT.cli("export", id, "--format", "onnx", "--out", onnx.toString(), "--runs-dir", runs.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("inputs expression [batch, 400], fingerprints [batch, 512]; output prediction [batch, 1]: LN_IC50 in its own units"), r.out());
        byte[] bytes = Files.readAllBytes(onnx);
        assertTrue(Arrays.equals(ZooBundles.onnx(bundle), bytes), "the same bytes as the bundle's model.onnx");

        // every test row of the run: the bundle's Predictor from domain inputs, ONNX Runtime from raw features
        Map<String, String> modelOfCosmic = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("datasets/synthetic/Model.csv")).subList(1, 241)) {
            String[] c = line.split(",");
            modelOfCosmic.put(c[1], c[0]);
        }
        List<String> lines = Files.readAllLines(Path.of("datasets/synthetic/OmicsExpressionProteinCodingGenesTPMLogp1.csv"));
        String[] header = lines.get(0).split(",");
        Map<String, Map<String, Double>> expression = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            Map<String, Double> row = new HashMap<>();
            for (int c = 1; c < cells.length; c++) {
                row.put(header[c], Double.parseDouble(cells[c]));
            }
            expression.put(cells[0], row);
        }
        Map<String, String> smiles = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("datasets/synthetic/drugs.csv")).subList(1, 31)) {
            String[] c = line.split(",");
            smiles.put(c[0], c[4]);
        }
        List<String> predictions = Files.readAllLines(runs.resolve(id).resolve("predictions.csv"));
        Bundle b = Bundle.open(bundle);
        JsonNode columns = b.schema().path("inputs").get(0).path("columns");
        Function<String, float[]> fingerprinter = FingerprintReader.fingerprinter(2, 512);
        List<Predictor.Request> requests = new ArrayList<>();
        List<float[][]> raw = new ArrayList<>();
        double[] runPredicted = new double[predictions.size() - 1];
        for (String line : predictions.subList(1, predictions.size())) {
            String[] c = line.split(",");
            String model = modelOfCosmic.get(c[0]);
            runPredicted[raw.size()] = Double.parseDouble(c[3]);
            requests.add(new Predictor.Request(new Predictor.Sample(model, Map.of("expression", expression.get(model))), Predictor.Drug.ofSmiles(c[1], smiles.get(c[1]))));
            float[] x = new float[columns.size()];
            for (int g = 0; g < x.length; g++) {
                x[g] = expression.get(model).get(columns.get(g).asText()).floatValue();
            }
            raw.add(new float[][]{x, fingerprinter.apply(smiles.get(c[1]))});
        }
        List<Predictor.Prediction> dl4j = b.predictor().predict(requests);
        double[] ort;
        try (OrtSession session = OrtEnvironment.getEnvironment().createSession(bytes, new OrtSession.SessionOptions())) {
            ort = ZooBundles.onnxRuntime(session, List.of("expression", "fingerprints"), raw.toArray(float[][][]::new));
        }
        double worst = 0;
        for (int i = 0; i < ort.length; i++) {
            double v = dl4j.get(i).value();
            worst = Math.max(worst, scaled(ort[i], v));
            assertTrue(scaled(ort[i], v) <= 1e-5, "row " + i + ": ONNX " + ort[i] + " vs bundle " + v);
            assertEquals(runPredicted[i], ort[i], 1e-5, "row " + i + ": the run's own test prediction (6 decimals)");
        }
        System.out.printf(java.util.Locale.ROOT, "quickstart ONNX vs bundle: %d test rows, worst |diff| / max(|value|, 1) %.2e%n", ort.length, worst);
    }

    @Test
    void readmeExampleServesModelOnnxWithOnnxRuntimeAndCdkAloneAndAgreesWithTheBundle() throws Exception {
        Path onnx = dir.resolve("readme.onnx");
        assertEquals(0, RunCommandIT.cli("export", id, "--format", "onnx", "--out", onnx.toString(), "--runs-dir", runs.toString()).code());
        String readme = Files.readString(Path.of("README.md"));
        Matcher java = Pattern.compile("```java\\n((?:(?!```).)*?public class ScoreOnnx.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(java.find(), "README has the ScoreOnnx Java example");
        Path source = dir.resolve("ScoreOnnx.java");
        Files.writeString(source, java.group(1));
        // ONNX Runtime (test scope here) and the CDK jars the README names: nothing of DL4J or ND4J
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (Path.of(entry).getFileName().toString().startsWith("onnxruntime-")) {
                classPath.add(entry);
            }
        }
        Matcher jars = Pattern.compile("target/lib/\\{([a-z0-9,-]+)\\}-\\*\\.jar").matcher(readme);
        assertTrue(jars.find(), "README lists the CDK jars");
        try (Stream<Path> lib = Files.list(Path.of("target/lib"))) {
            List<String> names = Arrays.asList(jars.group(1).split(","));
            lib.filter(p -> names.stream().anyMatch(n -> p.getFileName().toString().matches(Pattern.quote(n) + "-[0-9.]+\\.jar"))).forEach(p -> classPath.add(p.toString()));
        }
        assertEquals(9, classPath.size(), classPath.toString());
        assertTrue(classPath.stream().noneMatch(p -> p.contains("nd4j") || p.contains("deeplearning4j")), classPath.toString());
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", String.join(File.pathSeparator, classPath),
                source.toString(), onnx.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        Matcher line = Pattern.compile("ACH-900001 x 9001: LN_IC50 (-?[0-9.]+(E-?[0-9]+)?)").matcher(output);
        assertTrue(line.find(), output);
        double fromOnnx = Double.parseDouble(line.group(1));

        List<String> lines = Files.readAllLines(Path.of("datasets/synthetic/OmicsExpressionProteinCodingGenesTPMLogp1.csv"));
        String[] genes = lines.get(0).split(",");
        String[] values = lines.get(1).split(",");
        Map<String, Double> expression = new HashMap<>();
        for (int i = 1; i < genes.length; i++) {
            expression.put(genes[i], Double.parseDouble(values[i]));
        }
        double fromBundle = Bundle.open(bundle).predictor().predict(List.of(new Predictor.Request(new Predictor.Sample(values[0], Map.of("expression", expression)),
                Predictor.Drug.ofSmiles("9001", "c1cc(NC(=O)C=C)c(N)cc1F")))).get(0).value();
        assertTrue(scaled(fromOnnx, fromBundle) <= 1e-5, "README's ONNX example " + fromOnnx + " vs the bundle " + fromBundle);
    }

    @Test
    void cardOnlyWritesTheCardForSignOff() throws Exception {
        Path card = dir.resolve("review").resolve("card.md");
        RunCommandIT.Result r = RunCommandIT.cli("export", id, "--card-only", "--out", card.toString(), "--runs-dir", runs.toString());
        assertEquals(0, r.code(), r.err());
        String md = Files.readString(card);
        assertTrue(md.contains("Test metrics with 95% bootstrap intervals, beside the best baseline (group_drug_mean)"), md);
        for (String section : List.of("## Intended use", "## Training data", "## Fairness by group", "## Calibration and coverage", "## Explanations",
                "## Limitations", "## Files and hashes", "## Sign-off", "By tissue (rmse per group")) {
            assertTrue(md.contains(section), section + " in " + md);
        }
        assertTrue(Files.readString(dir.resolve("review").resolve("card.html")).contains("<h2>Fairness by group</h2>"));
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(bundle.toFile())) {
            String manifest = new String(zip.getInputStream(zip.getEntry("MANIFEST.sha256")).readAllBytes(), StandardCharsets.UTF_8);
            for (String entry : List.of("model.zip", "model.onnx")) {
                String sha = manifest.lines().filter(l -> l.endsWith("  " + entry)).findFirst().orElseThrow().split("  ")[0];
                assertTrue(md.contains("| " + entry + " | `" + sha + "` |"), entry + ": the card names the bundle's file");
            }
        }
    }

    @Test
    void aNetworkTheExporterRefusesExitsWith2AndTheBundleSaysWhy() throws Exception {
        Path other = dir.resolve("custom");
        ZooBundles.Made made = ZooBundles.make(other, new ZooBundles.Case("custom", "dense", false, "cube", false, true, false), Map.of(),
                ZooBundles.cubeNetwork());
        RunCommandIT.Result r = RunCommandIT.cli("export", made.runId(), "--format", "onnx", "--out", other.resolve("m.onnx").toString(), "--runs-dir",
                made.store().root().toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("cannot export this model to ONNX: vertex 'hidden' uses the activation cube"), r.err());
        assertFalse(Files.exists(other.resolve("m.onnx")));
        RunCommandIT.Result zip = RunCommandIT.cli("export", made.runId(), "--out", other.resolve("b.zip").toString(), "--runs-dir", made.store().root().toString());
        assertEquals(0, zip.code(), zip.err());
        assertTrue(zip.out().contains("note: no model.onnx in the bundle: cannot export this model to ONNX"), zip.out());
        assertEquals(2, RunCommandIT.cli("export", id, "--format", "onnx", "--card-only", "--out", other.resolve("c.md").toString(), "--runs-dir",
                runs.toString()).code());
        assertEquals(2, RunCommandIT.cli("export", id, "--format", "tflite", "--out", other.resolve("c.bin").toString(), "--runs-dir", runs.toString()).code());
    }
}
