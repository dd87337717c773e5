package org.oncobench.export;

import org.oncobench.config.BadInputException;
import org.oncobench.runs.Json;
import org.oncobench.runs.RunFolder;
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
 * schema, the same model as {@code model.onnx} (when the ONNX exporter translates the network), the resolved
 * experiment, provenance, metrics, the model card and a SHA-256 manifest of every entry. Only a
 * completed single-split run has one model to export. Nothing row-level (predictions, splits) goes in.
 */
public final class BundleWriter {

    /** What was written. */
    public record Exported(Path file, String runId, Map<String, String> sha256, boolean signed, String onnxRefusal) {
        /** Whether the bundle carries {@code model.onnx} (otherwise {@link #onnxRefusal} says why not). */
        public boolean hasOnnx() {
            return onnxRefusal == null;
        }

        /** The files in the bundle: each hashed one, the manifest, and a signature when signed. */
        public int entries() {
            return sha256.size() + 1 + (signed ? 1 : 0);
        }
    }

    public Exported export(RunStore store, String runId, Path out) {
        return export(store, runId, out, null);
    }

    /**
     * Exports the run; with {@code signingKey} (a PEM private key), the bundle also carries a signature of its manifest
     * ({@link BundleSignature}), which so covers every entry, {@code model.onnx} included.
     */
    public Exported export(RunStore store, String runId, Path out, Path signingKey) {
        RunExport run = RunExport.load(store, runId);
        try {
            OnnxExport.Outcome onnx = OnnxExport.attempt(run);
            Map<String, byte[]> entries = payload(run, onnx);
            Map<String, Object> card = ModelCard.build(run, signingKey != null, hashes(entries), onnx);
            entries.put(BundleFormat.CARD_MD, ModelCard.markdown(card).getBytes(StandardCharsets.UTF_8));
            entries.put(BundleFormat.CARD_JSON, Json.write(card).getBytes(StandardCharsets.UTF_8));
            Map<String, String> hashes = hashes(entries);
            StringBuilder manifest = new StringBuilder();
            hashes.forEach((name, h) -> manifest.append(h).append("  ").append(name).append('\n'));
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
            return new Exported(target, runId, hashes, signingKey != null, onnx.refusal());
        } catch (IOException e) {
            throw new BadInputException("cannot export run " + runId + " to " + out + " (" + e.getMessage() + ")");
        }
    }

    /**
     * Every entry of the run's bundle except the model card (which states their hashes): the DL4J model, the input
     * schema, {@code model.onnx} when the exporter translates the network, the experiment, provenance, metrics and
     * an ensemble's other members. The same run gives the same bytes.
     */
    static Map<String, byte[]> payload(RunExport run, OnnxExport.Outcome onnx) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(BundleFormat.MODEL, Files.readAllBytes(run.modelFile()));
        entries.put(BundleFormat.SCHEMA, run.schemaBytes());
        if (onnx.model() != null) {
            entries.put(BundleFormat.ONNX, onnx.model().bytes());
        }
        entries.put(BundleFormat.EXPERIMENT, run.bytes("experiment.yaml"));
        entries.put(BundleFormat.PROVENANCE, run.bytes("provenance.json"));
        entries.put(BundleFormat.METRICS, run.bytes("metrics.json"));
        for (Map.Entry<String, Path> m : run.members().entrySet()) {
            entries.put(m.getKey(), Files.readAllBytes(m.getValue()));
        }
        return entries;
    }

    static Map<String, String> hashes(Map<String, byte[]> entries) {
        Map<String, String> out = new LinkedHashMap<>();
        entries.forEach((name, bytes) -> out.put(name, sha256(bytes)));
        return out;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
