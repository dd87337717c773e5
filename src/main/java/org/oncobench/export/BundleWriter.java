package org.oncobench.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.deeplearning4j.util.ModelSerializer;
import org.oncobench.config.BadInputException;
import org.oncobench.runs.Json;
import org.oncobench.runs.RunFolder;
import org.oncobench.runs.RunRecord;
import org.oncobench.runs.RunRecords;
import org.oncobench.runs.RunStatus;
import org.oncobench.runs.RunStore;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * {@code oncobench export RUN_ID --out model.zip}: writes a bundle with the DL4J model and its normalisers, the input
 * schema, the resolved experiment, provenance, metrics, the model card and a SHA-256 manifest of every entry. Only a
 * completed single-split run has one model to export. Nothing row-level (predictions, splits) goes in.
 */
public final class BundleWriter {

    /** What was written. */
    public record Exported(Path file, String runId, Map<String, String> sha256, boolean signed) {
    }

    public Exported export(RunStore store, String runId, Path out) {
        return export(store, runId, out, null);
    }

    /**
     * Exports the run; with {@code signingKey} (a PEM private key), the bundle also carries a signature of its manifest
     * ({@link BundleSignature}).
     */
    public Exported export(RunStore store, String runId, Path out, Path signingKey) {
        Path dir = store.dirOf(runId);
        RunRecord record = RunRecords.effective(RunRecords.read(dir).orElseThrow());
        if (!RunStatus.COMPLETED.label().equals(record.status())) {
            throw new BadInputException("run " + runId + " is " + record.status() + "; only completed runs can be exported");
        }
        if (!Files.isRegularFile(dir.resolve("model.zip"))) {
            throw new BadInputException("run " + runId + " has no model.zip (k-fold runs estimate performance and keep no model unless "
                    + "split.final_model: true); export a run with a single split, or run the k-fold again with split.final_model: true");
        }
        try {
            ObjectMapper json = new ObjectMapper();
            byte[] model = Files.readAllBytes(dir.resolve("model.zip"));
            byte[] schema = schemaOf(dir.resolve("model.zip"));
            JsonNode metrics = json.readTree(dir.resolve("metrics.json").toFile());
            if (metrics.path("uncertainty").path("calibration").isObject()) { // the intervals' calibration travels with the input contract
                com.fasterxml.jackson.databind.node.ObjectNode withCalibration = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(schema);
                withCalibration.set("uncertainty", metrics.path("uncertainty").path("calibration"));
                schema = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(withCalibration);
            }
            JsonNode provenance = json.readTree(dir.resolve("provenance.json").toFile());
            JsonNode experiment = new YAMLMapper().readTree(dir.resolve("experiment.yaml").toFile());
            Map<String, Object> card = ModelCard.build(runId, experiment, metrics, json.readTree(schema), provenance, signingKey != null);
            Map<String, byte[]> entries = new LinkedHashMap<>();
            entries.put(BundleFormat.MODEL, model);
            entries.put(BundleFormat.SCHEMA, schema);
            entries.put(BundleFormat.EXPERIMENT, Files.readAllBytes(dir.resolve("experiment.yaml")));
            entries.put(BundleFormat.PROVENANCE, Files.readAllBytes(dir.resolve("provenance.json")));
            entries.put(BundleFormat.METRICS, Files.readAllBytes(dir.resolve("metrics.json")));
            // an ensemble's other members (uncertainty.kind: ensemble), listed in the manifest like every entry
            int members = metrics.path("uncertainty").path("calibration").path("kind").asText().equals("ensemble")
                    ? metrics.path("uncertainty").path("calibration").path("samples").asInt() - 1 : 0;
            for (int m = 1; m <= members; m++) {
                Path member = dir.resolve("ensemble").resolve("member-" + m + ".zip");
                if (!Files.isRegularFile(member)) {
                    throw new BadInputException(member + " is missing: the run's ensemble is incomplete, so its intervals cannot be exported");
                }
                entries.put(BundleFormat.member(m), Files.readAllBytes(member));
            }
            entries.put(BundleFormat.CARD_MD, ModelCard.markdown(card).getBytes(StandardCharsets.UTF_8));
            entries.put(BundleFormat.CARD_JSON, Json.write(card).getBytes(StandardCharsets.UTF_8));
            Map<String, String> hashes = new LinkedHashMap<>();
            StringBuilder manifest = new StringBuilder();
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                String h = sha256(e.getValue());
                hashes.put(e.getKey(), h);
                manifest.append(h).append("  ").append(e.getKey()).append('\n');
            }
            Path target = out.toAbsolutePath().normalize();
            if (target.getParent() != null) {
                Files.createDirectories(target.getParent());
            }
            Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
            try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    zip.putNextEntry(new ZipEntry(e.getKey()));
                    zip.write(e.getValue());
                    zip.closeEntry();
                }
                byte[] manifestBytes = manifest.toString().getBytes(StandardCharsets.UTF_8);
                zip.putNextEntry(new ZipEntry(BundleFormat.MANIFEST));
                zip.write(manifestBytes);
                zip.closeEntry();
                if (signingKey != null) {
                    zip.putNextEntry(new ZipEntry(BundleSignature.ENTRY));
                    zip.write(BundleSignature.sign(manifestBytes, signingKey));
                    zip.closeEntry();
                }
            }
            RunFolder.moveIntoPlace(tmp, target);
            return new Exported(target, runId, hashes, signingKey != null);
        } catch (IOException e) {
            throw new BadInputException("cannot export run " + runId + " to " + out + " (" + e.getMessage() + ")");
        }
    }

    private static byte[] schemaOf(Path modelZip) throws IOException {
        Object schema = ModelSerializer.getObjectFromFile(modelZip.toFile(), "input_schema.json");
        if (!(schema instanceof String text)) {
            throw new BadInputException(modelZip + " has no input schema (made by an older oncobench?)");
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
