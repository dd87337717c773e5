package org.oncobench.export;

import org.oncobench.model.NativeSetup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.oncobench.config.BadInputException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * An opened model bundle. Opening checks every entry against the SHA-256 manifest while streaming it: an entry the
 * manifest does not list is refused before it is read, an entry whose declared or actual size exceeds its limit is
 * refused as soon as that shows, and a missing, altered or truncated entry is refused with a message naming it. The
 * model is streamed to a temporary file (deleted when the bundle is no longer used); the small entries stay in memory.
 * <p>
 * The manifest detects corruption, not deliberate tampering: anyone can edit an entry and recompute its hash. With a
 * public key ({@link #open(Path, Path)}), the bundle must also carry a signature of its manifest made with the
 * matching private key ({@code export --sign}), which makes tampering detectable.
 */
public final class Bundle {
    private static final Cleaner CLEANER = Cleaner.create();
    private final Path file;
    private final Map<String, byte[]> entries;
    private final Path model;
    private final JsonNode schema;
    private final boolean signed;
    private final boolean hasOnnx;

    private Bundle(Path file, Map<String, byte[]> entries, Path model, JsonNode schema, boolean signed, boolean hasOnnx) {
        this.file = file;
        this.hasOnnx = hasOnnx;
        this.entries = entries;
        this.model = model;
        this.schema = schema;
        this.signed = signed;
        CLEANER.register(this, new DeleteOnClean(model));
    }

    /** Deletes the model's temporary copy once the bundle is unreachable (a static class: it must not hold the bundle). */
    private record DeleteOnClean(Path model) implements Runnable {
        public void run() {
            try {
                Files.deleteIfExists(model);
            } catch (IOException ignored) {
                // a temporary file left for the OS to clean
            }
        }
    }

    /** Opens and verifies a bundle against its manifest. */
    public static Bundle open(Path file) {
        return open(file, null);
    }

    /**
     * Opens and verifies a bundle; with {@code publicKey} (a PEM file), its manifest must also be signed by the matching
     * private key.
     */
    public static Bundle open(Path file, Path publicKey) {
        NativeSetup.apply(); // a program that only loads bundles comes in here
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry manifestEntry = zip.getEntry(BundleFormat.MANIFEST);
            if (manifestEntry == null) {
                throw new BadInputException(file + ": no " + BundleFormat.MANIFEST + "; not an oncobench bundle, or truncated");
            }
            byte[] manifest = read(zip, manifestEntry, file, BundleFormat.MAX_ENTRY_BYTES, null, true).bytes();
            Map<String, String> expected = new LinkedHashMap<>();
            for (String line : new String(manifest, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    String[] parts = line.split("  ", 2);
                    if (parts.length != 2 || expected.put(parts[1], parts[0]) != null) {
                        throw new BadInputException(file + ": malformed manifest line '" + line + "'");
                    }
                }
            }
            for (String name : BundleFormat.ENTRIES) {
                if (!expected.containsKey(name)) {
                    throw new BadInputException(file + ": the manifest does not list " + name + "; the bundle was altered");
                }
            }
            Set<String> seen = new HashSet<>();
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                String name = e.getName();
                if (!seen.add(name)) {
                    throw new BadInputException(file + ": entry " + name + " appears twice; the bundle was altered");
                }
                if (!name.equals(BundleFormat.MANIFEST) && !name.equals(BundleSignature.ENTRY) && !expected.containsKey(name)) {
                    throw new BadInputException(file + ": entry " + name + " is not in the manifest; the bundle was altered");
                }
            }
            ZipEntry signatureEntry = zip.getEntry(BundleSignature.ENTRY);
            byte[] signature = signatureEntry == null ? null : read(zip, signatureEntry, file, 1 << 16, null, true).bytes();
            if (publicKey != null) {
                BundleSignature.verify(file, manifest, signature, publicKey);
            }
            Map<String, byte[]> entries = new LinkedHashMap<>();
            Path model = null;
            try {
                for (Map.Entry<String, String> e : expected.entrySet()) {
                    ZipEntry entry = zip.getEntry(e.getKey());
                    if (entry == null) {
                        throw new BadInputException(file + ": entry " + e.getKey() + " is missing (truncated or altered bundle)");
                    }
                    boolean isModel = e.getKey().equals(BundleFormat.MODEL);
                    boolean isOnnx = e.getKey().equals(BundleFormat.ONNX); // verified here, read by ONNX Runtime elsewhere: not kept
                    if (isModel) {
                        model = Files.createTempFile("oncobench-model", ".zip");
                        model.toFile().deleteOnExit();
                    }
                    Read r = read(zip, entry, file, isModel || isOnnx ? BundleFormat.MAX_MODEL_BYTES : BundleFormat.MAX_ENTRY_BYTES,
                            isModel ? model : null, !isOnnx);
                    if (!r.sha256().equals(e.getValue())) {
                        throw new BadInputException(file + ": entry " + e.getKey() + " does not match its SHA-256 in the manifest (expected "
                                + e.getValue().substring(0, Math.min(12, e.getValue().length())) + "..., found " + r.sha256().substring(0, 12)
                                + "...): the bundle was altered; export it again from the run");
                    }
                    if (!isModel && !isOnnx) {
                        entries.put(e.getKey(), r.bytes());
                    }
                }
                JsonNode schema;
                try {
                    schema = new ObjectMapper().readTree(entries.get(BundleFormat.SCHEMA));
                } catch (IOException e) {
                    throw new BadInputException(file + ": unreadable input schema (" + e.getMessage() + ")");
                }
                Bundle bundle = new Bundle(file, entries, model, schema, signature != null, expected.containsKey(BundleFormat.ONNX));
                model = null; // the bundle owns it now
                return bundle;
            } finally {
                if (model != null) {
                    Files.deleteIfExists(model);
                }
            }
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": bundle not found");
        } catch (ZipException | java.io.EOFException e) {
            throw new BadInputException(file + ": not an oncobench bundle, or a corrupt or truncated one (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the bundle (" + e.getMessage() + ")");
        }
    }

    /** An entry's bytes (null when it went to a file) and SHA-256. */
    private record Read(byte[] bytes, String sha256) {
    }

    /**
     * Streams one entry, hashing it, into {@code target}, or into memory when {@code keep} (else only the hash is
     * kept); refuses it when its declared size, or the bytes it actually inflates to, pass {@code limit}.
     */
    private static Read read(ZipFile zip, ZipEntry entry, Path file, long limit, Path target, boolean keep) throws IOException {
        long declared = entry.getSize();
        if (declared > limit) {
            throw tooLarge(file, entry.getName(), declared, limit);
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteArrayOutputStream memory = target == null && keep ? new ByteArrayOutputStream((int) Math.max(32, Math.min(declared, 1 << 20))) : null;
        try (InputStream in = zip.getInputStream(entry);
             OutputStream out = target != null ? Files.newOutputStream(target) : keep ? memory : OutputStream.nullOutputStream()) {
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > limit) {
                    throw tooLarge(file, entry.getName(), total, limit);
                }
                sha.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
            if (declared >= 0 && total != declared) {
                throw new BadInputException(file + ": entry " + entry.getName() + " holds " + total + " bytes where the zip declares "
                        + declared + " (truncated or altered bundle)");
            }
        }
        return new Read(memory == null ? null : memory.toByteArray(), HexFormat.of().formatHex(sha.digest()));
    }

    private static BadInputException tooLarge(Path file, String name, long size, long limit) {
        return new BadInputException(file + ": entry " + name + " is " + size + " bytes" + (size > limit ? ", above the limit of " : ", limit ")
                + limit + " bytes for this entry; not a bundle oncobench wrote (refused before reading further)");
    }

    /** Whether the bundle carries {@code model.onnx} (verified against the manifest like every entry). */
    public boolean hasOnnx() {
        return hasOnnx;
    }

    /** Whether the bundle carries a signature of its manifest (checked only when opened with a public key). */
    public boolean signed() {
        return signed;
    }

    public Path file() {
        return file;
    }

    /** The input contract: each input's name, kind, exact column order, fingerprint settings, image size. */
    public JsonNode schema() {
        return schema;
    }

    /** An entry's bytes (null when the bundle has no such entry). */
    byte[] bytes(String entry) {
        return entries.get(entry);
    }

    public String text(String entry) {
        byte[] b = entries.get(entry);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** The model entry (the DL4J model with its normaliser and schema), as a verified temporary file. */
    Path modelFile() {
        return model;
    }

    public JsonNode modelCard() {
        try {
            return new ObjectMapper().readTree(entries.get(BundleFormat.CARD_JSON));
        } catch (IOException e) {
            throw new BadInputException(file + ": unreadable model card");
        }
    }

    /** A predictor over this bundle's model. */
    public Predictor predictor() {
        return new Predictor(this);
    }
}
