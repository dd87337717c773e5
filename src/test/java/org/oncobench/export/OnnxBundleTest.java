package org.oncobench.export;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.oncobench.config.BadInputException;
import org.oncobench.data.Cohort;
import org.oncobench.export.onnx.OnnxExportException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every model kind exported to model.onnx inside a bundle, loaded by ONNX Runtime and compared with the bundle's DL4J
 * Predictor on all 200 rows of the zoo cohort, raw features in: regression in the target's units, classification as
 * the positive class's probability after the prevalence correction.
 */
class OnnxBundleTest {
    /**
     * Agreement: |onnx - dl4j| <= 1e-5 |dl4j| for probabilities; for a response, relative to max(|dl4j|, 1) (a float
     * network's last bits are absolute, and a response can be near 0 where no relative bound holds).
     */
    static final double TOLERANCE = 1e-5;

    @TempDir
    Path dir;

    static List<ZooBundles.Case> cases() {
        return List.of(
                new ZooBundles.Case("mlp", "dense", false, "relu", true, true, true),
                new ZooBundles.Case("mlp", "dense", true, "relu", true, true, true),
                new ZooBundles.Case("twin", "dense", false, "elu", true, true, true),
                new ZooBundles.Case("twin", "conv1d", true, "leakyrelu", true, true, true),
                new ZooBundles.Case("cnn", "dense", false, "tanh", true, true, true),
                new ZooBundles.Case("cnn", "dense", true, "swish", false, false, true),
                new ZooBundles.Case("multimodal", "dense", false, "swish", true, false, true),
                new ZooBundles.Case("multimodal", "conv1d", false, "relu", true, true, true),
                new ZooBundles.Case("multimodal", "conv1d", true, "relu", true, true, true),
                // an even kernel (same padding 1 before, 2 after) and three poolings (widths 12, 6, 3: the last pads one column)
                new ZooBundles.Case("twin", "conv1d", false, "relu", true, true, true, 4, 3),
                new ZooBundles.Case("cnn", "dense", false, "relu", false, true, true, 4, 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void onnxRuntimeMatchesTheBundleOnEveryRow(ZooBundles.Case k) throws Exception {
        ZooBundles.Made made = ZooBundles.make(dir, k, Map.of());
        Bundle bundle = Bundle.open(made.bundle());
        assertTrue(bundle.hasOnnx(), k + ": the bundle carries model.onnx");
        Cohort c = made.cohort();
        int n = c.size();
        float[][][] rows = new float[n][][];
        for (int i = 0; i < n; i++) {
            rows[i] = ZooBundles.raw(c, i);
        }
        double[] dl4j = bundle.predictor().predictRows(n, (input, i) -> rows[i][input]);
        List<String> names = new ArrayList<>();
        bundle.schema().path("inputs").forEach(in -> names.add(in.path("name").asText()));
        byte[] onnx = ZooBundles.onnx(made.bundle());
        double worstRelative = 0;
        double worstAbsolute = 0;
        try (OrtSession session = OrtEnvironment.getEnvironment().createSession(onnx, new OrtSession.SessionOptions())) {
            // named inputs per table, [batch, width] floats, in the bundle's order; one double output
            assertEquals(names, new ArrayList<>(session.getInputNames()), k + ": inputs");
            for (String name : names) {
                TensorInfo info = (TensorInfo) session.getInputInfo().get(name).getInfo();
                assertArrayEquals(new long[]{-1, bundle.schema().path("inputs").get(names.indexOf(name)).path("width").asLong()}, info.getShape(), name);
                assertEquals(ai.onnxruntime.OnnxJavaType.FLOAT, info.type, name);
            }
            NodeInfo out = session.getOutputInfo().get("prediction");
            assertEquals(ai.onnxruntime.OnnxJavaType.DOUBLE, ((TensorInfo) out.getInfo()).type);
            // the exact input schema travels in the metadata
            Map<String, String> meta = session.getMetadata().getCustomMetadata();
            assertEquals(bundle.text(BundleFormat.SCHEMA), meta.get("input_schema"));
            assertEquals(String.join("\n", c.sampleTables().get(0).columns()), meta.get("input.omics.columns"));
            assertEquals(k.classification() ? "classification" : "regression", meta.get("task"));
            assertEquals(made.runId(), meta.get("run_id"));

            double[] ort = ZooBundles.onnxRuntime(session, names, rows);
            for (int i = 0; i < n; i++) {
                double diff = Math.abs(ort[i] - dl4j[i]);
                double scale = k.classification() ? Math.abs(dl4j[i]) : Math.max(Math.abs(dl4j[i]), 1);
                worstRelative = Math.max(worstRelative, diff / scale);
                worstAbsolute = Math.max(worstAbsolute, diff);
                assertTrue(diff <= TOLERANCE * scale, k + ": row " + i + " ONNX " + ort[i] + " vs DL4J " + dl4j[i]);
            }
        }
        // the predictions vary (not a constant network), and classification gives probabilities
        assertTrue(java.util.Arrays.stream(dl4j).max().orElseThrow() - java.util.Arrays.stream(dl4j).min().orElseThrow() > 1e-3, k + ": outputs vary");
        if (k.classification()) {
            assertTrue(java.util.Arrays.stream(dl4j).allMatch(p -> p > 0 && p < 1), k + ": probabilities");
        }
        // the card names the file's hash, as the manifest does
        String sha = BundleWriter.sha256(onnx);
        assertEquals(sha, bundle.modelCard().path("hashes").path("model.onnx").asText());
        System.out.printf(java.util.Locale.ROOT, "ONNX vs DL4J, %s: %d rows, worst |diff| %.2e, worst scaled %.2e, %d bytes%n", k, n, worstAbsolute,
                worstRelative, onnx.length);
    }

    @Test
    void aMissingValueTakesTheTrainingMedianAsThePredictorsLeftOutGeneDoes() throws Exception {
        float[] medians = new float[12];
        for (int j = 0; j < 12; j++) {
            medians[j] = 0.25f * j - 1;
        }
        ZooBundles.Case k = new ZooBundles.Case("mlp", "dense", false, "relu", true, true, false);
        ZooBundles.Made made = ZooBundles.make(dir, k, Map.of("omics", medians));
        Bundle bundle = Bundle.open(made.bundle());
        Cohort c = made.cohort();
        List<String> genes = c.sampleTables().get(0).columns();
        List<Predictor.Request> requests = new ArrayList<>();
        float[][][] rows = new float[c.size()][][];
        for (int i = 0; i < c.size(); i++) {
            rows[i] = ZooBundles.raw(c, i);
            Map<String, Double> expression = new HashMap<>();
            for (int j = 0; j < genes.size(); j++) {
                if ((i + j) % 3 == 0) {
                    rows[i][0][j] = Float.NaN; // ONNX: NaN; the Predictor: the gene left out
                } else {
                    expression.put(genes.get(j), (double) rows[i][0][j]);
                }
            }
            requests.add(new Predictor.Request(new Predictor.Sample("s" + i, Map.of("omics", expression)), new Predictor.Drug("d", null, rows[i][1])));
        }
        List<Predictor.Prediction> dl4j = bundle.predictor().predict(requests);
        try (OrtSession session = OrtEnvironment.getEnvironment().createSession(ZooBundles.onnx(made.bundle()), new OrtSession.SessionOptions())) {
            double[] ort = ZooBundles.onnxRuntime(session, List.of("omics", "fingerprints"), rows);
            for (int i = 0; i < ort.length; i++) {
                double v = dl4j.get(i).value();
                assertTrue(Math.abs(ort[i] - v) <= TOLERANCE * Math.max(Math.abs(v), 1), "row " + i + ": " + ort[i] + " vs " + v);
            }
        }
    }

    @Test
    void aNetworkTheExporterCannotTranslateIsRefusedWithTheReasonNeverExportedWrong() throws IOException {
        ZooBundles.Case k = new ZooBundles.Case("custom", "dense", false, "cube", false, true, false);
        ZooBundles.Made made = ZooBundles.make(dir, k, Map.of(), ZooBundles.cubeNetwork());
        // the bundle is written without model.onnx, and its card says why
        Bundle bundle = Bundle.open(made.bundle());
        assertFalse(bundle.hasOnnx());
        JsonNode onnx = bundle.modelCard().path("onnx");
        assertFalse(onnx.path("included").asBoolean());
        assertTrue(onnx.path("refusal").asText().contains("vertex 'hidden' uses the activation cube"), onnx.toString());
        assertTrue(bundle.text(BundleFormat.CARD_MD).contains("No `model.onnx`: cannot export this model to ONNX: vertex 'hidden'"));
        // --format onnx refuses (exit code 2 on the CLI: a BadInputException)
        OnnxExportException e = assertThrows(OnnxExportException.class, () -> new OnnxWriter().export(made.store(), made.runId(), dir.resolve("m.onnx")));
        assertTrue(e.getMessage().contains("vertex 'hidden' uses the activation cube") && e.getMessage().contains("still serves this one"), e.getMessage());
        assertTrue(e instanceof BadInputException);
        assertFalse(Files.exists(dir.resolve("m.onnx")));
    }

    @Test
    void theSignatureCoversModelOnnx() throws Exception {
        ZooBundles.Case k = new ZooBundles.Case("mlp", "dense", false, "relu", false, true, false);
        ZooBundles.Made made = ZooBundles.make(dir, k, Map.of());
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path key = dir.resolve("team.key.pem");
        Path pub = dir.resolve("team.pub.pem");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        Files.writeString(pub, "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        Path signed = dir.resolve("signed.zip");
        BundleWriter.Exported exported = new BundleWriter().export(made.store(), made.runId(), signed, key);
        assertTrue(exported.hasOnnx() && exported.sha256().containsKey("model.onnx"));
        assertTrue(Bundle.open(signed, pub).hasOnnx());

        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(signed.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                entries.put(e.getName(), zip.getInputStream(e).readAllBytes());
            }
        }
        byte[] onnx = entries.get("model.onnx").clone();
        onnx[onnx.length - 1] ^= 1; // one bit of the last weight
        // the manifest alone catches a changed model.onnx
        Map<String, byte[]> altered = new LinkedHashMap<>(entries);
        altered.put("model.onnx", onnx);
        Path corrupt = dir.resolve("corrupt.zip");
        write(corrupt, altered);
        BadInputException e = assertThrows(BadInputException.class, () -> Bundle.open(corrupt));
        assertTrue(e.getMessage().contains("entry model.onnx does not match its SHA-256"), e.getMessage());
        // a forger who also rewrites the manifest passes the manifest check, not the signature
        StringBuilder manifest = new StringBuilder();
        for (String line : new String(entries.get("MANIFEST.sha256"), StandardCharsets.UTF_8).split("\n")) {
            String name = line.split("  ", 2)[1];
            manifest.append(name.equals("model.onnx") ? BundleWriter.sha256(onnx) : line.split("  ", 2)[0]).append("  ").append(name).append('\n');
        }
        altered.put("MANIFEST.sha256", manifest.toString().getBytes(StandardCharsets.UTF_8));
        Path forged = dir.resolve("forged.zip");
        write(forged, altered);
        assertNotNull(Bundle.open(forged), "without a key the forgery opens");
        BadInputException refused = assertThrows(BadInputException.class, () -> Bundle.open(forged, pub));
        assertTrue(refused.getMessage().contains("the signature does not match the manifest"), refused.getMessage());
    }

    private static void write(Path target, Map<String, byte[]> entries) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(target))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
    }

    @Test
    void theCardOnlyExportIsTheBundlesCardAsMarkdownAndHtml() throws Exception {
        ZooBundles.Case k = new ZooBundles.Case("mlp", "dense", true, "relu", true, true, false);
        ZooBundles.Made made = ZooBundles.make(dir, k, Map.of());
        ModelCardWriter.Written w = new ModelCardWriter().export(made.store(), made.runId(), dir.resolve("review").resolve("card.md"), false);
        Bundle bundle = Bundle.open(made.bundle());
        String md = Files.readString(w.markdown());
        assertEquals(bundle.text(BundleFormat.CARD_MD), md, "the reviewer signs the card the bundle carries");
        assertEquals(dir.resolve("review").resolve("card.html"), w.html());
        String html = Files.readString(w.html());
        assertTrue(html.contains("<h2>Files and hashes</h2>") && html.contains("<table>") && html.contains("<h2>Sign-off</h2>"), html);
        // the hashes the card states are the bundle's entries
        try (ZipFile zip = new ZipFile(made.bundle().toFile())) {
            for (String entry : List.of("model.zip", "model.onnx", "input_schema.json")) {
                String sha = BundleWriter.sha256(zip.getInputStream(zip.getEntry(entry)).readAllBytes());
                assertEquals(sha, w.sha256().get(entry), entry);
                assertTrue(md.contains("| " + entry + " | `" + sha + "` |"), entry + " in " + md);
            }
        }
        JsonNode card = new ObjectMapper().readTree(bundle.text(BundleFormat.CARD_JSON));
        assertTrue(card.path("calibration").path("probabilities").asText().contains("training prevalence"), card.path("calibration").toString());
        assertEquals(13, card.path("onnx").path("opset").asInt());
    }
}
