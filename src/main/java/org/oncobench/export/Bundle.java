package org.oncobench.export;

import org.oncobench.model.NativeSetup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.oncobench.config.BadInputException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * An opened model bundle. Opening reads every entry and checks it against the SHA-256 manifest: a missing, extra,
 * altered or truncated entry is refused with a message naming it.
 */
public final class Bundle {
    private final Path file;
    private final Map<String, byte[]> entries;
    private final JsonNode schema;

    private Bundle(Path file, Map<String, byte[]> entries, JsonNode schema) {
        this.file = file;
        this.entries = entries;
        this.schema = schema;
    }

    public static Bundle open(Path file) {
        NativeSetup.apply(); // a program that only loads bundles comes in here
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": bundle not found");
        } catch (ZipException | java.io.EOFException e) {
            throw new BadInputException(file + ": not a readable bundle (corrupt or truncated zip: " + e.getMessage() + ")");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the bundle (" + e.getMessage() + ")");
        }
        byte[] manifest = entries.get(BundleFormat.MANIFEST);
        if (manifest == null) {
            throw new BadInputException(file + ": no " + BundleFormat.MANIFEST + "; not an oncobench bundle, or truncated");
        }
        Map<String, String> expected = new HashMap<>();
        for (String line : new String(manifest, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                String[] parts = line.split("  ", 2);
                if (parts.length != 2) {
                    throw new BadInputException(file + ": malformed manifest line '" + line + "'");
                }
                expected.put(parts[1], parts[0]);
            }
        }
        for (String name : BundleFormat.ENTRIES) {
            if (!expected.containsKey(name)) {
                throw new BadInputException(file + ": the manifest does not list " + name + "; the bundle was altered");
            }
        }
        for (Map.Entry<String, String> e : expected.entrySet()) {
            byte[] bytes = entries.get(e.getKey());
            if (bytes == null) {
                throw new BadInputException(file + ": entry " + e.getKey() + " is missing (truncated or altered bundle)");
            }
            String actual = BundleWriter.sha256(bytes);
            if (!actual.equals(e.getValue())) {
                throw new BadInputException(file + ": entry " + e.getKey() + " does not match its SHA-256 in the manifest (expected "
                        + e.getValue().substring(0, 12) + "..., found " + actual.substring(0, 12) + "...): the bundle was altered; "
                        + "export it again from the run");
            }
        }
        for (String name : entries.keySet()) {
            if (!name.equals(BundleFormat.MANIFEST) && !expected.containsKey(name)) {
                throw new BadInputException(file + ": entry " + name + " is not in the manifest; the bundle was altered");
            }
        }
        try {
            return new Bundle(file, entries, new ObjectMapper().readTree(entries.get(BundleFormat.SCHEMA)));
        } catch (IOException e) {
            throw new BadInputException(file + ": unreadable input schema (" + e.getMessage() + ")");
        }
    }

    public Path file() {
        return file;
    }

    /** The input contract: each input's name, kind, exact column order, fingerprint settings, image size. */
    public JsonNode schema() {
        return schema;
    }

    public String text(String entry) {
        byte[] b = entries.get(entry);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    byte[] bytes(String entry) {
        return entries.get(entry);
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
