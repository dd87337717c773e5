package org.oncobench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.config.BadInputException;
import org.oncobench.eval.RegressionMetrics;
import org.oncobench.export.Bundle;
import org.oncobench.export.InputFieldException;
import org.oncobench.export.Predictor;
import org.oncobench.export.RestServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Export a run, open the bundle, predict from domain inputs, score files, serve over HTTP. */
class ExportIT {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Path data;
    static Path regression;
    static Path classification;
    static Map<String, String> modelOfCosmic = new HashMap<>();
    static Map<String, Map<String, Double>> expression = new HashMap<>();
    static Map<String, Map<String, Double>> mutations = new HashMap<>();
    static Map<String, String> smiles = new HashMap<>();

    static Path runAndExport(String name, String extra, String... sets) throws IOException {
        Path yaml = dir.resolve(name + ".yaml");
        Files.writeString(yaml, """
                name: %s
                seed: 3
                data:
                  rows: {file: data/GDSC2_fitted_dose_response.csv, sample: COSMIC_ID, drug: DRUG_ID, target: LN_IC50}
                  sample_ids: {file: data/Model.csv, from: COSMICID, to: ModelID}
                  samples:
                    expression: {file: data/OmicsExpressionProteinCodingGenesTPMLogp1.csv, id: ModelID, select: {top_variance: 60}}
                %s
                  drugs:
                    fingerprints: {file: data/drugs.csv, id: DRUG_ID, bits: 128}
                  groups:
                    tissue: {file: data/Model.csv, id: ModelID, column: OncotreeLineage}
                split: {kind: cell-blind, test: 0.25, validation: 0.1}
                model: {kind: multimodal, hidden: [32], branch_hidden: [32]}
                training: {epochs: 4, batch: 32}
                """.formatted(name, extra));
        Path runs = dir.resolve("runs");
        List<String> args = new ArrayList<>(List.of("run", yaml.toString(), "--runs-dir", runs.toString()));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        RunCommandIT.Result r = RunCommandIT.cli(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        String id = RunCommandIT.runFolders(runs).stream().map(p -> p.getFileName().toString()).filter(n -> n.contains("-" + name + "-"))
                .findFirst().orElseThrow();
        Path bundle = dir.resolve(name + ".zip");
        RunCommandIT.Result e = RunCommandIT.cli("export", id, "--out", bundle.toString(), "--runs-dir", runs.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("Exported run " + id), e.out());
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(bundle.toFile())) { // the count is the zip's (it said one fewer: the manifest)
            assertTrue(e.out().contains("(" + zip.size() + " entries: " + (zip.size() - 1) + " files and their SHA-256 manifest"), zip.size() + ": " + e.out());
        }
        return bundle;
    }

    static Map<String, Map<String, Double>> matrix(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.get(0).split(",");
        Map<String, Map<String, Double>> out = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            Map<String, Double> row = new HashMap<>();
            for (int c = 1; c < cells.length; c++) {
                row.put(header[c], Double.parseDouble(cells[c]));
            }
            out.put(cells[0], row);
        }
        return out;
    }

    @BeforeAll
    static void setUp() throws IOException {
        data = dir.resolve("data");
        assertEquals(0, RunCommandIT.cli("data", "synth", "--out", data.toString(), "--cell-lines", "80", "--drugs", "8", "--genes", "80",
                "--seed", "9", "--tiles", "0").code());
        for (String line : Files.readAllLines(data.resolve("Model.csv")).subList(1, 81)) {
            String[] c = line.split(",");
            modelOfCosmic.put(c[1], c[0]);
        }
        expression = matrix(data.resolve("OmicsExpressionProteinCodingGenesTPMLogp1.csv"));
        mutations = matrix(data.resolve("OmicsSomaticMutationsMatrixDamaging.csv"));
        for (String line : Files.readAllLines(data.resolve("drugs.csv")).subList(1, 9)) {
            String[] c = line.split(",");
            smiles.put(c[0], c[4]);
        }
        regression = runAndExport("reg", "    mutations: {file: data/OmicsSomaticMutationsMatrixDamaging.csv, id: ModelID, missing: median}");
        classification = runAndExport("cls", "", "task={kind: classification, threshold: 1.0, positive: below}");
    }

    /** The run's own test predictions: (cosmic, drug, predicted). */
    static List<String[]> runPredictions(Path bundle) throws IOException {
        String runId = Bundle.open(bundle).modelCard().path("run_id").asText();
        List<String> lines = Files.readAllLines(dir.resolve("runs").resolve(runId).resolve("predictions.csv"));
        List<String[]> out = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            out.add(l.split(","));
        }
        return out;
    }

    static Predictor.Request request(String cosmic, String drug, boolean withMutations) {
        String model = modelOfCosmic.get(cosmic);
        Map<String, Map<String, Double>> tables = new HashMap<>();
        tables.put("expression", expression.get(model));
        if (withMutations) {
            tables.put("mutations", mutations.get(model));
        }
        return new Predictor.Request(new Predictor.Sample(model, tables), Predictor.Drug.ofSmiles(drug, smiles.get(drug)));
    }

    @Test
    void bundlePredictionsEqualTheRunsTestPredictions() throws IOException {
        for (Path bundle : List.of(regression, classification)) {
            boolean cls = bundle == classification;
            Predictor predictor = Bundle.open(bundle).predictor();
            List<String[]> expected = runPredictions(bundle);
            List<Predictor.Request> requests = new ArrayList<>();
            for (String[] row : expected) {
                requests.add(request(row[0], row[1], !cls));
            }
            List<Predictor.Prediction> got = predictor.predict(requests);
            assertEquals(expected.size(), got.size());
            for (int i = 0; i < got.size(); i++) {
                assertEquals(Double.parseDouble(expected.get(i)[3]), got.get(i).value(), 1e-6, "row " + i + " of " + bundle.getFileName());
                if (cls) {
                    assertTrue(got.get(i).value() >= 0 && got.get(i).value() <= 1);
                }
            }
        }
        JsonNode card = Bundle.open(classification).modelCard();
        assertEquals("classification", card.path("training_data").path("task").asText());
        assertTrue(card.path("intended_use").asText().contains("Not for clinical decisions"));
        JsonNode runMetrics = new ObjectMapper().readTree(dir.resolve("runs").resolve(card.path("run_id").asText()).resolve("metrics.json").toFile());
        assertEquals(runMetrics.path("test").path("auc").asDouble(), card.path("test_metrics").path("auc").asDouble(), 0.0,
                "the card's AUC is the run's");
        String md = Bundle.open(regression).text("model-card.md");
        assertFalse(md.contains("{groups="), "the per-drug summary is a table, not a Java map: " + md);
        assertTrue(md.contains("| groups | 8 |"), md);
        assertTrue(md.contains("## Integrity") && md.contains("detects corruption") && md.contains("not deliberate"), md);
    }

    @Test
    void missingGenesAreListedUnlessTheSchemaHasAFill() throws IOException {
        Predictor predictor = Bundle.open(regression).predictor();
        String[] row = runPredictions(regression).get(0);
        Predictor.Request full = request(row[0], row[1], true);
        Map<String, Double> someExpression = new HashMap<>(full.sample().tables().get("expression"));
        String dropped = Bundle.open(regression).schema().path("inputs").get(0).path("columns").get(0).asText();
        someExpression.remove(dropped);
        Map<String, Map<String, Double>> tables = new HashMap<>(full.sample().tables());
        tables.put("expression", someExpression);
        InputFieldException e = assertThrows(InputFieldException.class, () -> predictor.predict(List.of(
                new Predictor.Request(new Predictor.Sample("s", tables), full.drug()))));
        assertEquals("sample.expression", e.field());
        assertTrue(e.getMessage().contains("1 of the model's 60 genes are missing") && e.getMessage().contains(dropped), e.getMessage());
        // mutations were trained with missing: median, so absent genes are filled with the training medians
        Map<String, Map<String, Double>> noMutations = new HashMap<>(full.sample().tables());
        noMutations.put("mutations", Map.of());
        double filled = predictor.predict(List.of(new Predictor.Request(new Predictor.Sample("s", noMutations), full.drug()))).get(0).value();
        // the fill is the median of each gene over the run's training samples, computed here from the files
        JsonNode mutationsInput = Bundle.open(regression).schema().path("inputs").get(1);
        assertEquals("mutations", mutationsInput.path("name").asText());
        String runId = Bundle.open(regression).modelCard().path("run_id").asText();
        java.util.Set<String> trainModels = new java.util.HashSet<>();
        List<String> split = Files.readAllLines(dir.resolve("runs").resolve(runId).resolve("split.csv"));
        for (String line : split.subList(1, split.size())) {
            String[] c = line.split(",");
            if (c[2].equals("train")) {
                trainModels.add(modelOfCosmic.get(c[0]));
            }
        }
        Map<String, Double> medians = new HashMap<>();
        for (int c = 0; c < mutationsInput.path("columns").size(); c++) {
            String gene = mutationsInput.path("columns").get(c).asText();
            double[] values = trainModels.stream().mapToDouble(model -> mutations.get(model).get(gene)).sorted().toArray();
            double median = values.length % 2 == 1 ? values[values.length / 2] : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
            assertEquals(median, mutationsInput.path("fill").get(c).asDouble(), 1e-6, gene);
            medians.put(gene, median);
        }
        Map<String, Map<String, Double>> explicit = new HashMap<>(full.sample().tables());
        explicit.put("mutations", medians);
        double withMedians = predictor.predict(List.of(new Predictor.Request(new Predictor.Sample("s", explicit), full.drug()))).get(0).value();
        assertEquals(withMedians, filled, 1e-9, "absent genes take exactly the training medians");
    }

    @Test
    void bundleHoldsNoTrainingRowsOrSampleIdentifiers() throws IOException {
        List<String> forbidden = new ArrayList<>();
        for (String line : Files.readAllLines(data.resolve("Model.csv")).subList(1, 81)) {
            String[] c = line.split(",");
            forbidden.addAll(List.of(c[0], c[1], c[2], c[3], c[4]));
        }
        for (Path bundle : List.of(regression, classification)) {
            Map<String, byte[]> entries = unzip(Files.readAllBytes(bundle));
            byte[] model = entries.get("model.zip");
            entries.putAll(unzip(model));
            assertFalse(entries.containsKey("predictions.csv") || entries.containsKey("split.csv"));
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                String text = new String(e.getValue(), StandardCharsets.ISO_8859_1);
                for (String id : forbidden) {
                    // as a token: COSMIC ids are digit runs that also occur inside SHA-256 digests and long decimals by chance
                    java.util.regex.Matcher hit = java.util.regex.Pattern.compile("(?<![0-9A-Za-z.])" + java.util.regex.Pattern.quote(id)
                            + "(?![0-9A-Za-z])").matcher(text);
                    if (hit.find()) {
                        throw new AssertionError(e.getKey() + " of " + bundle.getFileName() + " contains the sample identifier " + id + " near: "
                                + text.substring(Math.max(0, hit.start() - 40), Math.min(text.length(), hit.end() + 40)));
                    }
                }
            }
        }
    }

    static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }

    @Test
    void tamperedOrTruncatedBundlesAreRefused() throws IOException {
        Map<String, byte[]> entries = unzip(Files.readAllBytes(regression));
        byte[] metrics = entries.get("metrics.json");
        String altered = new String(metrics, StandardCharsets.UTF_8).replaceFirst("\"rmse\" : 0\\.", "\"rmse\" : 0.0");
        entries.put("metrics.json", altered.getBytes(StandardCharsets.UTF_8));
        Path tampered = dir.resolve("tampered.zip");
        try (OutputStream os = Files.newOutputStream(tampered); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        BadInputException e = assertThrows(BadInputException.class, () -> Bundle.open(tampered));
        assertTrue(e.getMessage().contains("entry metrics.json does not match its SHA-256 in the manifest"), e.getMessage());
        Path truncated = dir.resolve("truncated.zip");
        byte[] whole = Files.readAllBytes(regression);
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
        BadInputException t = assertThrows(BadInputException.class, () -> Bundle.open(truncated));
        assertTrue(t.getMessage().startsWith(truncated.toString()), t.getMessage());
        RunCommandIT.Result cli = RunCommandIT.cli("predict", tampered.toString(), "--input", data.toString(), "--out", dir.resolve("x.csv").toString());
        assertEquals(2, cli.code());
        assertTrue(cli.err().contains("does not match its SHA-256"), cli.err());
    }

    /** Writes a zip with the given entries; an entry whose value is a Long is that many zero bytes, deflated. */
    static void zip(Path target, Map<String, Object> entries) throws IOException {
        try (OutputStream os = Files.newOutputStream(target); ZipOutputStream zip = new ZipOutputStream(os)) {
            zip.setLevel(9);
            for (Map.Entry<String, Object> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                if (e.getValue() instanceof Long zeros) {
                    byte[] block = new byte[1 << 20];
                    for (long written = 0; written < zeros; written += block.length) {
                        zip.write(block, 0, (int) Math.min(block.length, zeros - written));
                    }
                } else {
                    zip.write((byte[]) e.getValue());
                }
                zip.closeEntry();
            }
        }
    }

    @Test
    void oversizedAndUnlistedEntriesAreRefusedWithoutReadingThem() throws IOException {
        Map<String, byte[]> real = unzip(Files.readAllBytes(regression));
        // a 3 GiB entry of zeros (a few MB on disk) where the metrics belong: refused by its size, nothing held in memory
        Map<String, Object> bomb = new java.util.LinkedHashMap<>(real);
        bomb.put("metrics.json", 3L << 30);
        Path bombed = dir.resolve("bomb.zip");
        zip(bombed, bomb);
        assertTrue(Files.size(bombed) < 20L << 20, "the bomb is small on disk: " + Files.size(bombed));
        RunCommandIT.Result r = RunCommandIT.cli("predict", bombed.toString(), "--input", data.toString(), "--out", dir.resolve("b.csv").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("entry metrics.json is 3221225472 bytes, above the limit of"), r.err());
        // an entry the manifest does not list is refused before it is read
        Map<String, Object> extra = new java.util.LinkedHashMap<>(real);
        extra.put("payload.bin", 3L << 30);
        Path unlisted = dir.resolve("unlisted.zip");
        zip(unlisted, extra);
        BadInputException e = assertThrows(BadInputException.class, () -> Bundle.open(unlisted));
        assertTrue(e.getMessage().contains("entry payload.bin is not in the manifest"), e.getMessage());
    }

    @Test
    void signedBundlesDetectTamperingThatTheManifestAloneCannot() throws Exception {
        java.security.KeyPair keys = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path priv = dir.resolve("team.key.pem");
        Path pub = dir.resolve("team.pub.pem");
        Files.writeString(priv, "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        Files.writeString(pub, "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        String runId = Bundle.open(regression).modelCard().path("run_id").asText();
        Path signed = dir.resolve("signed.zip");
        RunCommandIT.Result export = RunCommandIT.cli("export", runId, "--out", signed.toString(), "--sign", priv.toString(),
                "--runs-dir", dir.resolve("runs").toString());
        assertEquals(0, export.code(), export.err());
        assertTrue(export.out().contains("signed"), export.out());
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(signed.toFile())) { // the hashed files, the manifest and its signature
            assertTrue(export.out().contains("(" + zip.size() + " entries: " + (zip.size() - 2) + " files and their SHA-256 manifest"), export.out());
        }
        Path in = dir.resolve("signed-input");
        Files.createDirectories(in);
        List<String> expr = Files.readAllLines(data.resolve("OmicsExpressionProteinCodingGenesTPMLogp1.csv"));
        Files.write(in.resolve("expression.csv"), expr.subList(0, 4));
        List<String> mut = Files.readAllLines(data.resolve("OmicsSomaticMutationsMatrixDamaging.csv"));
        Files.write(in.resolve("mutations.csv"), mut.subList(0, 4));
        Files.copy(data.resolve("drugs.csv"), in.resolve("drugs.csv"));
        RunCommandIT.Result ok = RunCommandIT.cli("predict", signed.toString(), "--verify", pub.toString(), "--input", in.toString(),
                "--out", dir.resolve("signed.csv").toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(Bundle.open(signed, pub).text("model-card.md").contains("MANIFEST.sha256.sig signs it"));

        // edit the model card and recompute the manifest: the manifest alone accepts it (it detects corruption, not
        // deliberate tampering), the signature does not
        Map<String, byte[]> entries = unzip(Files.readAllBytes(signed));
        byte[] card = new String(entries.get("model-card.md"), StandardCharsets.UTF_8).replace("Research only", "Clinical use")
                .getBytes(StandardCharsets.UTF_8);
        entries.put("model-card.md", card);
        StringBuilder manifest = new StringBuilder();
        for (String line : new String(entries.get("MANIFEST.sha256"), StandardCharsets.UTF_8).split("\n")) {
            String name = line.split("  ", 2)[1];
            manifest.append(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(entries.get(name))))
                    .append("  ").append(name).append('\n');
        }
        entries.put("MANIFEST.sha256", manifest.toString().getBytes(StandardCharsets.UTF_8));
        Path forged = dir.resolve("forged.zip");
        zip(forged, new java.util.LinkedHashMap<>(entries));
        assertTrue(Bundle.open(forged).text("model-card.md").contains("Clinical use"), "without a key the forgery opens");
        RunCommandIT.Result refused = RunCommandIT.cli("predict", forged.toString(), "--verify", pub.toString(), "--input", in.toString(),
                "--out", dir.resolve("forged.csv").toString());
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("signature does not match"), refused.err());
        RunCommandIT.Result unsigned = RunCommandIT.cli("predict", regression.toString(), "--verify", pub.toString(), "--input", in.toString(),
                "--out", dir.resolve("u.csv").toString());
        assertEquals(2, unsigned.code(), unsigned.err());
        assertTrue(unsigned.err().contains("is not signed"), unsigned.err());
    }

    @Test
    void predictCommandScoresFilesLikeTheApi() throws IOException {
        Path in = dir.resolve("score-input");
        Files.createDirectories(in);
        List<String> expr = Files.readAllLines(data.resolve("OmicsExpressionProteinCodingGenesTPMLogp1.csv"));
        Files.write(in.resolve("expression.csv"), expr.subList(0, 6));
        Files.copy(data.resolve("drugs.csv"), in.resolve("drugs.csv"));
        Files.writeString(in.resolve("pairs.csv"), "sample,drug\nACH-900001,9001\nACH-900003,9005\n");
        Path out = dir.resolve("scored.csv");
        RunCommandIT.Result r = RunCommandIT.cli("predict", classification.toString(), "--input", in.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals("sample,drug,predicted", lines.get(0));
        assertEquals(3, lines.size());
        String cosmic = modelOfCosmic.entrySet().stream().filter(e -> e.getValue().equals("ACH-900003")).findFirst().orElseThrow().getKey();
        double api = Bundle.open(classification).predictor().predict(List.of(request(cosmic, "9005", false))).get(0).value();
        assertEquals(api, Double.parseDouble(lines.get(2).split(",")[2]), 1e-6);
        // a NaN where the model has no fill policy names the file, line and column
        List<String> withNan = new ArrayList<>(expr.subList(0, 4));
        String[] cells = withNan.get(2).split(",");
        cells[5] = "NaN";
        withNan.set(2, String.join(",", cells));
        Path nanInput = dir.resolve("nan-input");
        Files.createDirectories(nanInput);
        Files.write(nanInput.resolve("expression.csv"), withNan);
        Files.copy(data.resolve("drugs.csv"), nanInput.resolve("drugs.csv"));
        RunCommandIT.Result nan = RunCommandIT.cli("predict", classification.toString(), "--input", nanInput.toString(), "--out", out.toString());
        assertEquals(2, nan.code(), nan.err());
        assertTrue(nan.err().contains("expression.csv:3: column '" + expr.get(0).split(",")[5] + "': NaN is not allowed"), nan.err());
        // the regression model also needs mutations
        RunCommandIT.Result missing = RunCommandIT.cli("predict", regression.toString(), "--input", in.toString(), "--out", out.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no 'mutations'"), missing.err());
    }

    /**
     * A drug the model was trained on may be named by its id alone (issue 26 item 14): the bundle carries the trained
     * drugs' fingerprints (chemistry, no patient data), and the Java API, /predict and batch scoring use them; an
     * unknown id without SMILES is refused naming the field. Before, every request needed the SMILES.
     */
    @Test
    void aTrainedDrugsIdAloneIsEnough() throws Exception {
        Bundle bundle = Bundle.open(regression);
        JsonNode known = null;
        for (JsonNode in : bundle.schema().path("inputs")) {
            known = "fingerprint".equals(in.path("kind").asText()) ? in.path("known_drugs") : known;
        }
        assertEquals(smiles.keySet(), toSet(known.fieldNames()), "the 8 trained drugs, by id");
        Predictor predictor = bundle.predictor();
        List<String[]> rows = runPredictions(regression).subList(0, 12);
        List<Predictor.Request> byId = new ArrayList<>();
        for (String[] row : rows) {
            Predictor.Request q = request(row[0], row[1], true);
            byId.add(new Predictor.Request(q.sample(), new Predictor.Drug(row[1], null, null)));
        }
        List<Predictor.Prediction> got = predictor.predict(byId);
        List<Predictor.Prediction> bySmiles = predictor.predict(rows.stream().map(row -> request(row[0], row[1], true)).toList());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(bySmiles.get(i).value(), got.get(i).value(), 0.0, "row " + i + ": as with the SMILES");
            assertEquals(Double.parseDouble(rows.get(i)[3]), got.get(i).value(), 1e-5, "row " + i + ": the run's own prediction (6 digits)");
        }
        Predictor.Request unknown = new Predictor.Request(byId.get(0).sample(), new Predictor.Drug("424242", null, null));
        InputFieldException e = assertThrows(InputFieldException.class, () -> predictor.predict(List.of(unknown)));
        assertEquals("drug.smiles", e.field());
        assertTrue(e.getMessage().contains("drug.smiles: missing (drug 424242 is not one of the 8 drugs the model was trained on"), e.getMessage());

        try (RestServer server = new RestServer(bundle, "127.0.0.1", 0, 2)) {
            server.start();
            Predictor.Request q = byId.get(0);
            String body = JSON.writeValueAsString(Map.of("instances", List.of(Map.of("sample", Map.of("id", q.sample().id(),
                    "expression", q.sample().tables().get("expression"), "mutations", q.sample().tables().get("mutations")), "drug", Map.of("id", rows.get(0)[1])))));
            HttpResponse<String> resp = send("http://127.0.0.1:" + server.port() + "/predict", null, body);
            assertEquals(200, resp.statusCode(), resp.body());
            assertEquals(predictor.predict(List.of(q)).get(0).value(), JSON.readTree(resp.body()).path("predictions").get(0).path("value").asDouble(), 1e-9);
        }

        // batch scoring: a drugs.csv of ids only, or none at all (every trained drug), scores as the SMILES do
        Path full = dir.resolve("ids-full");
        Path idsOnly = dir.resolve("ids-only");
        Path none = dir.resolve("ids-none");
        for (Path in : List.of(full, idsOnly, none)) {
            Files.createDirectories(in);
            Files.write(in.resolve("expression.csv"), Files.readAllLines(data.resolve("OmicsExpressionProteinCodingGenesTPMLogp1.csv")).subList(0, 4));
            Files.write(in.resolve("mutations.csv"), Files.readAllLines(data.resolve("OmicsSomaticMutationsMatrixDamaging.csv")).subList(0, 4));
        }
        Files.copy(data.resolve("drugs.csv"), full.resolve("drugs.csv"));
        Files.write(idsOnly.resolve("drugs.csv"), Files.readAllLines(data.resolve("drugs.csv")).stream().map(l -> l.split(",")[0]).toList());
        String expected = null;
        for (Path in : List.of(full, idsOnly, none)) {
            Path out = dir.resolve(in.getFileName() + ".csv");
            RunCommandIT.Result r = RunCommandIT.cli("predict", regression.toString(), "--input", in.toString(), "--out", out.toString());
            assertEquals(0, r.code(), in.getFileName() + ": " + r.err());
            List<String> lines = new ArrayList<>(Files.readAllLines(out));
            java.util.Collections.sort(lines);
            assertEquals(1 + 3 * 8, lines.size(), "3 samples x 8 drugs: " + lines);
            expected = expected == null ? String.join("\n", lines) : expected;
            assertEquals(expected, String.join("\n", lines), in.getFileName() + " scores as the SMILES do");
        }
        Files.write(idsOnly.resolve("drugs.csv"), List.of("DRUG_ID", "424242"));
        RunCommandIT.Result refused = RunCommandIT.cli("predict", regression.toString(), "--input", idsOnly.toString(), "--out", dir.resolve("x.csv").toString());
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("drugs.csv:2: drug '424242': no SMILES, and it is not one of the 8 drugs the model was trained on"), refused.err());
    }

    private static Set<String> toSet(java.util.Iterator<String> it) {
        Set<String> out = new java.util.TreeSet<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void serveAnswersHundredsOfConcurrentRequestsCorrectly() throws Exception {
        Bundle bundle = Bundle.open(regression);
        Predictor reference = bundle.predictor();
        List<String[]> rows = runPredictions(regression);
        try (RestServer server = new RestServer(bundle, "127.0.0.1", 0, 8)) {
            server.start();
            String base = "http://127.0.0.1:" + server.port();
            HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(16)).build();
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<String> schema = http.send(HttpRequest.newBuilder(URI.create(base + "/schema")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(60, JSON.readTree(schema.body()).path("inputs").get(0).path("columns").size());
            ExecutorService pool = Executors.newFixedThreadPool(32);
            List<Future<double[]>> answers = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String[] row = rows.get(i % rows.size());
                answers.add(pool.submit(() -> {
                    Predictor.Request q = request(row[0], row[1], true);
                    String body = JSON.writeValueAsString(Map.of("instances", List.of(Map.of(
                            "sample", Map.of("id", q.sample().id(), "expression", q.sample().tables().get("expression"),
                                    "mutations", q.sample().tables().get("mutations")),
                            "drug", Map.of("id", row[1], "smiles", smiles.get(row[1]))))));
                    HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(base + "/predict"))
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, resp.statusCode(), resp.body());
                    double served = JSON.readTree(resp.body()).path("predictions").get(0).path("value").asDouble();
                    double direct = reference.predict(List.of(q)).get(0).value();
                    return new double[]{served, direct};
                }));
            }
            for (Future<double[]> f : answers) {
                double[] pair = f.get();
                assertEquals(pair[1], pair[0], 1e-9);
            }
            pool.shutdown();
            HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(base + "/predict"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"instances\":[{\"sample\":{\"id\":\"x\",\"expression\":{\"EGFR\":\"high\"}}}]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, bad.statusCode());
            assertEquals("instances[0].sample.expression.EGFR", JSON.readTree(bad.body()).path("field").asText());
            HttpResponse<String> noDrug = http.send(HttpRequest.newBuilder(URI.create(base + "/predict"))
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("instances", List.of(Map.of("sample",
                            Map.of("id", "x", "expression", expression.get("ACH-900001"), "mutations", Map.of()))))))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, noDrug.statusCode());
            assertEquals("instances[0].drug", JSON.readTree(noDrug.body()).path("field").asText(), noDrug.body());
            assertEquals(400, http.send(HttpRequest.newBuilder(URI.create(base + "/predict")).POST(HttpRequest.BodyPublishers.ofString("{nope"))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(405, http.send(HttpRequest.newBuilder(URI.create(base + "/predict")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(base + "/admin")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    /** A /predict body for the first test row of the regression run, with one expression value replaced by raw JSON. */
    static String bodyWith(String gene, String rawValue) throws IOException {
        String[] row = runPredictions(regression).get(0);
        Predictor.Request q = request(row[0], row[1], true);
        Map<String, Object> expr = new java.util.TreeMap<>(q.sample().tables().get("expression"));
        expr.put(gene, 12345.5);
        String json = JSON.writeValueAsString(Map.of("instances", List.of(Map.of(
                "sample", Map.of("id", "s1", "expression", expr, "mutations", q.sample().tables().get("mutations")),
                "drug", Map.of("id", row[1], "smiles", smiles.get(row[1]))))));
        return json.replace("\"" + gene + "\":12345.5", "\"" + gene + "\":" + rawValue);
    }

    /**
     * POST /explain: each prediction's value (equal to /predict's), the baseline's, and the top features by integrated
     * gradients, largest |attribution| first, whose sum over every feature is value - baseline (checked through the API's
     * completeness error); predict --explain K adds the same top features to every line.
     */
    @Test
    void serveExplainsPredictionsAndPredictAddsTheTopFeatures() throws Exception {
        Bundle bundle = Bundle.open(regression);
        String body = bodyWith(bundle.schema().path("inputs").get(0).path("columns").get(3).asText(), "7.25");
        JsonNode withTop = ((com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(body)).put("top", 5);
        try (RestServer server = new RestServer(bundle, "127.0.0.1", 0, 2)) {
            server.start();
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port();
            HttpResponse<String> predicted = http.send(HttpRequest.newBuilder(URI.create(base + "/predict")).POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> explained = http.send(HttpRequest.newBuilder(URI.create(base + "/explain"))
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(withTop))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, explained.statusCode(), explained.body());
            JsonNode e = JSON.readTree(explained.body()).path("explanations").get(0);
            double value = JSON.readTree(predicted.body()).path("predictions").get(0).path("value").asDouble();
            assertEquals(value, e.path("value").asDouble(), 1e-4, "the explained value is the prediction");
            JsonNode attributions = e.path("attributions");
            assertEquals(5, attributions.size());
            for (int i = 1; i < attributions.size(); i++) {
                assertTrue(Math.abs(attributions.get(i - 1).path("attribution").asDouble()) >= Math.abs(attributions.get(i).path("attribution").asDouble()));
            }
            double delta = Math.abs(e.path("value").asDouble() - e.path("baseline_value").asDouble());
            assertTrue(e.path("completeness_error").asDouble() <= 0.05 * delta + 1e-3,
                    "attributions sum to value - baseline: error " + e.path("completeness_error") + " of " + delta);
            Set<String> inputNames = new java.util.HashSet<>();
            bundle.schema().path("inputs").forEach(in -> inputNames.add(in.path("name").asText()));
            attributions.forEach(a -> assertTrue(inputNames.contains(a.path("input").asText()), a.toString()));
            // the gene the request set to 7.25 is reported with that raw value when it is among the top features
            HttpResponse<String> badTop = http.send(HttpRequest.newBuilder(URI.create(base + "/explain")).POST(HttpRequest.BodyPublishers.ofString(
                    JSON.writeValueAsString(((com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(body)).put("top", 0)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, badTop.statusCode());
            assertEquals("top", JSON.readTree(badTop.body()).path("field").asText());
        }
        // the Java API and predict --explain give the same explanation
        Path in = dir.resolve("explain-input");
        Files.createDirectories(in);
        List<String> expr = Files.readAllLines(data.resolve("OmicsExpressionProteinCodingGenesTPMLogp1.csv"));
        Files.write(in.resolve("expression.csv"), expr.subList(0, 3));
        Files.write(in.resolve("mutations.csv"), Files.readAllLines(data.resolve("OmicsSomaticMutationsMatrixDamaging.csv")).subList(0, 3));
        Files.copy(data.resolve("drugs.csv"), in.resolve("drugs.csv"));
        Files.writeString(in.resolve("pairs.csv"), "sample,drug\nACH-900001,9001\nACH-900002,9004\n");
        Path out = dir.resolve("explained.csv");
        RunCommandIT.Result r = RunCommandIT.cli("predict", regression.toString(), "--input", in.toString(), "--out", out.toString(), "--explain", "3");
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals("sample,drug,predicted,top1_input,top1_feature,top1_value,top1_attribution,top2_input,top2_feature,top2_value,top2_attribution,"
                + "top3_input,top3_feature,top3_value,top3_attribution", lines.get(0));
        assertEquals(3, lines.size());
        String cosmic = modelOfCosmic.entrySet().stream().filter(x -> x.getValue().equals("ACH-900001")).findFirst().orElseThrow().getKey();
        Predictor.Explanation api = bundle.predictor().explain(List.of(request(cosmic, "9001", true)), 3).get(0);
        String[] cells = lines.get(1).split(",");
        assertEquals(api.top().get(0).feature(), cells[4].replace("\"", ""));
        assertEquals(api.top().get(0).attribution(), Double.parseDouble(cells[6]), 1e-4 * Math.max(1, Math.abs(api.top().get(0).attribution())));
    }

    @Test
    void serveRefusesNonFiniteAndOutOfRangeNumbersNamingTheField() throws Exception {
        Bundle bundle = Bundle.open(regression);
        String gene = bundle.schema().path("inputs").get(0).path("columns").get(3).asText();
        try (RestServer server = new RestServer(bundle, "127.0.0.1", 0, 2)) {
            server.start();
            HttpClient http = HttpClient.newHttpClient();
            URI predict = URI.create("http://127.0.0.1:" + server.port() + "/predict");
            for (String raw : List.of("1e300", "-1e300", "1e400", "NaN", "Infinity", "-Infinity")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(predict).POST(HttpRequest.BodyPublishers.ofString(bodyWith(gene, raw)))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(400, r.statusCode(), raw + ": " + r.body());
                JsonNode err = JSON.readTree(r.body());
                assertEquals("instances[0].sample.expression." + gene, err.path("field").asText(), raw + ": " + r.body());
                assertFalse(err.path("error").asText().contains("JsonReadFeature") || err.path("error").asText().contains("missing"), r.body());
            }
            HttpResponse<String> fine = http.send(HttpRequest.newBuilder(predict).POST(HttpRequest.BodyPublishers.ofString(bodyWith(gene, "7.25")))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, fine.statusCode(), fine.body());
            assertTrue(Double.isFinite(JSON.readTree(fine.body()).path("predictions").get(0).path("value").asDouble()), fine.body());
            String badSmiles = bodyWith(gene, "7.25").replaceFirst("\"smiles\":\"[^\"]*\"", "\"smiles\":\"C1CC(\"");
            HttpResponse<String> smilesError = http.send(HttpRequest.newBuilder(predict).POST(HttpRequest.BodyPublishers.ofString(badSmiles))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, smilesError.statusCode(), smilesError.body());
            assertEquals("instances[0].drug.smiles", JSON.readTree(smilesError.body()).path("field").asText());
        }
    }

    @Test
    void serveOnAPortInUseOrOutOfRangeIsTheUsersToFixWithTheMessagesOfUi() throws Exception {
        Path noRuns = dir.resolve("no-runs");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            String port = String.valueOf(taken.getLocalPort());
            RunCommandIT.Result serve = RunCommandIT.cli("serve", regression.toString(), "--port", port);
            RunCommandIT.Result ui = RunCommandIT.cli("ui", "--runs-dir", noRuns.toString(), "--port", port);
            assertEquals(2, serve.code(), serve.err());
            assertEquals(2, ui.code(), ui.err());
            assertTrue(serve.err().startsWith("error: cannot listen on 127.0.0.1:" + port + " ("), serve.err());
            assertTrue(serve.err().strip().endsWith("; choose another --port"), serve.err());
            assertEquals(ui.err(), serve.err());
        }
        for (String[] bad : new String[][]{{"--port", "70000"}, {"--port", "-1"}, {"--host", "no-such-host.invalid"}}) {
            RunCommandIT.Result serve = RunCommandIT.cli("serve", regression.toString(), bad[0], bad[1]);
            RunCommandIT.Result ui = RunCommandIT.cli("ui", "--runs-dir", noRuns.toString(), bad[0], bad[1]);
            assertEquals(2, serve.code(), serve.err());
            assertFalse(serve.err().contains("\tat "), serve.err());
            assertEquals(ui.err(), serve.err());
        }
        assertEquals("error: --port 70000: allowed 0 (any free port) to 65535",
                RunCommandIT.cli("serve", regression.toString(), "--port", "70000").err().strip());
    }

    /** A {@code serve} child JVM with its standard output and error kept apart; returns it once it printed its address. */
    static Process serveChild(Path out, Path err, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Oncobench.class.getName(), "serve", regression.toString(), "--port", "0"));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.readString(out).contains("Serving ")) {
            assertTrue(p.isAlive() && System.nanoTime() < deadline, "serve did not start:\n" + Files.readString(out) + Files.readString(err));
            Thread.sleep(50);
        }
        return p;
    }

    static HttpResponse<String> send(String url, String authorization, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        b = body == null ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void serveBeyondLoopbackRequiresItsTokenWhichItPrintsOnceAndNeverLogs() throws Exception {
        Path out = dir.resolve("serve-any.out");
        Path err = dir.resolve("serve-any.err");
        Process p = serveChild(out, err, "--host", "0.0.0.0");
        try {
            String printed = Files.readString(out);
            java.util.regex.Matcher t = java.util.regex.Pattern.compile("access token: ([0-9a-f]{48}) ").matcher(printed);
            assertTrue(t.find(), printed);
            String token = t.group(1);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("http://0\\.0\\.0\\.0:(\\d+)").matcher(printed);
            assertTrue(m.find(), printed);
            assertTrue(Files.readString(err).contains("warning: --host 0.0.0.0 makes the model reachable from other machines"), Files.readString(err));
            // bound to every address, asked over loopback: the rule follows the bind address, not the client's
            String base = "http://127.0.0.1:" + m.group(1);
            String instance = "{\"instances\": [{\"sample\": {\"id\": \"x\"}, \"drug\": {\"id\": \"x\"}}]}";
            for (String[] call : new String[][]{{"/health", null}, {"/schema", null}, {"/predict", instance}, {"/v2/health/ready", null}, {"/nowhere", null}}) {
                HttpResponse<String> none = send(base + call[0], null, call[1]);
                assertEquals(401, none.statusCode(), call[0] + " -> " + none.body());
                assertEquals("Bearer realm=\"oncobench\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
                assertTrue(JSON.readTree(none.body()).path("error").asText().contains("Authorization: Bearer"), none.body());
                assertEquals(401, send(base + call[0], "Bearer " + token.substring(1) + "0", call[1]).statusCode(), call[0]);
                assertEquals(401, send(base + call[0] + "?token=" + token, null, call[1]).statusCode(), call[0]); // the browser's form is the UI's only
            }
            HttpResponse<String> health = send(base + "/health", "Bearer " + token, null);
            assertEquals(200, health.statusCode(), health.body());
            assertEquals("ok", JSON.readTree(health.body()).path("status").asText());
            HttpResponse<String> schema = send(base + "/schema", "Bearer " + token, null);
            assertEquals(200, schema.statusCode());
            assertEquals(1, printed.split(token, -1).length - 1, "the token is printed once:\n" + printed);
            assertFalse(Files.readString(err).contains(token), "the token reached the log");
        } finally {
            p.destroy();
            p.waitFor();
        }
        // a --token-file token is required even on loopback, and not printed
        Path tokenFile = dir.resolve("serve.token");
        Files.writeString(tokenFile, "a-secret-from-the-vault-0123456789\n");
        Process q = serveChild(dir.resolve("serve-file.out"), dir.resolve("serve-file.err"), "--token-file", tokenFile.toString());
        try {
            String printed = Files.readString(dir.resolve("serve-file.out"));
            assertFalse(printed.contains("a-secret-from-the-vault"), printed);
            // the banner and --help list every endpoint, /explain included (issue 26 item 14)
            assertTrue(printed.contains("(GET /health, GET /schema, POST /predict, POST /explain; Open Inference Protocol: POST /v2/models/"), printed);
            assertTrue(RunCommandIT.cli("serve", "--help").out().replaceAll("\\s+", " ").contains("GET /health, GET /schema, POST /predict, POST /explain, and the Open Inference"));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)").matcher(printed);
            assertTrue(m.find(), printed);
            String base = "http://127.0.0.1:" + m.group(1);
            assertEquals(401, send(base + "/health", null, null).statusCode());
            assertEquals(200, send(base + "/health", "Bearer a-secret-from-the-vault-0123456789", null).statusCode());
        } finally {
            q.destroy();
            q.waitFor();
        }
        Files.writeString(tokenFile, "short\n");
        RunCommandIT.Result tooShort = RunCommandIT.cli("serve", regression.toString(), "--token-file", tokenFile.toString());
        assertEquals(2, tooShort.code());
        assertTrue(tooShort.err().contains("--token-file " + tokenFile + ": its first line must hold a token of at least 16"), tooShort.err());
    }

    @Test
    void serveClosesConnectionsOfClientsThatNeverFinishTheirRequest() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                Oncobench.class.getName(), "serve", regression.toString(), "--port", "0", "--request-timeout", "2").redirectErrorStream(true).start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
            String line;
            int port = -1;
            while ((line = out.readLine()) != null) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)").matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                    break;
                }
            }
            assertTrue(port > 0, "the server printed its address");
            try (java.net.Socket slow = new java.net.Socket("127.0.0.1", port)) {
                slow.setSoTimeout(20_000);
                // headers and half a body, then silence
                slow.getOutputStream().write(("POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n{\"instances\": [").getBytes());
                slow.getOutputStream().flush();
                long t0 = System.nanoTime();
                int read = slow.getInputStream().read(); // -1 (closed) or the first byte of an error: either way not held forever
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertTrue(seconds < 15, "the server let a stalled client hold a worker for " + seconds + " s (read " + read + ")");
                System.out.printf("stalled client released after %.1f s%n", seconds);
            }
            try (java.net.Socket slowHeaders = new java.net.Socket("127.0.0.1", port)) {
                slowHeaders.setSoTimeout(20_000);
                // half the headers, then silence: the server's own deadline covers the whole exchange, headers included
                slowHeaders.getOutputStream().write("POST /predict HTTP/1.1\r\nHost: x\r\n".getBytes());
                slowHeaders.getOutputStream().flush();
                long t0 = System.nanoTime();
                int read = slowHeaders.getInputStream().read();
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertTrue(seconds < 15, "a client that never finished its headers held a worker for " + seconds + " s (read " + read + ")");
            }
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    @Test
    void kfoldWithAFinalModelExportsAModelTrainedOnEveryRow() throws IOException {
        Path bundle = runAndExport("kf", "", "split={kind: kfold, folds: 3, validation: 0.15, final_model: true}",
                "training.early_stopping={patience: 2}", "training.epochs=6");
        Bundle b = Bundle.open(bundle);
        String runId = b.modelCard().path("run_id").asText();
        JsonNode m = new ObjectMapper().readTree(dir.resolve("runs").resolve(runId).resolve("metrics.json").toFile());
        JsonNode fin = m.path("final_model");
        assertEquals("median best epoch across folds", fin.path("epochs_from").asText(), fin.toString());
        int rows = fin.path("rows").asInt();
        assertEquals(m.path("test").path("n").asInt(), rows, "every row was a test row of one fold, and trains the final model");
        assertEquals(rows, b.modelCard().path("training_data").path("train_rows").asInt());
        assertTrue(b.modelCard().path("limitations").toString().contains("the reported metrics are the cross-validated ones"),
                b.modelCard().path("limitations").toString());
        // the final model has seen every row: on them it fits better than the folds' models did on their held-out rows
        List<String[]> pooled = runPredictions(bundle);
        Predictor predictor = b.predictor();
        double[] observed = new double[pooled.size()];
        double[] fitted = new double[pooled.size()];
        double[] heldOut = new double[pooled.size()];
        for (int i = 0; i < pooled.size(); i++) {
            String[] row = pooled.get(i);
            observed[i] = Double.parseDouble(row[2]);
            heldOut[i] = Double.parseDouble(row[3]);
            fitted[i] = predictor.predict(List.of(request(row[0], row[1], false))).get(0).value();
        }
        double fit = RegressionMetrics.of(observed, fitted).rmse();
        double cv = RegressionMetrics.of(observed, heldOut).rmse();
        assertTrue(fit < cv, "final model on its training rows " + fit + " vs cross-validated " + cv);
    }

    @Test
    void onlyCompletedSingleSplitRunsExport() {
        RunCommandIT.Result r = RunCommandIT.cli("export", "20990101-000000-none-0000", "--out", dir.resolve("n.zip").toString(),
                "--runs-dir", dir.resolve("runs").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no run '20990101-000000-none-0000'"), r.err());
    }

}
