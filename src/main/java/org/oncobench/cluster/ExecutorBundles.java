package org.oncobench.cluster;

import org.oncobench.config.BadInputException;
import org.oncobench.export.Bundle;
import org.oncobench.export.Predictor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bundles an executor JVM has opened, by the SHA-256 of their bytes and public key: each is written to a temporary
 * file, opened and verified ({@link Bundle#open(Path, Path)}, as {@code predict --verify} does) and its predictor built
 * once per JVM, however many partitions it then scores.
 * <p>
 * This is the one mutable static of the package, and deliberately so: Spark gives an executor no other place that
 * outlives a task. It only ever holds verified, immutable, thread-safe values keyed by their content.
 */
final class ExecutorBundles {
    /** An opened bundle and its predictor. */
    record Loaded(Bundle bundle, Predictor predictor) {
    }

    private static final Map<String, Loaded> OPENED = new ConcurrentHashMap<>();

    private ExecutorBundles() {
    }

    /** The content key of a bundle's bytes with its public key (null: none). */
    static String key(byte[] bundle, byte[] publicKey) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(bundle);
            if (publicKey != null) {
                sha.update((byte) 0);
                sha.update(publicKey);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bundle for these bytes, opened and verified on first use in this JVM. */
    static Loaded get(String key, byte[] bundle, byte[] publicKey) {
        return OPENED.computeIfAbsent(key, k -> open(k, bundle, publicKey));
    }

    private static Loaded open(String key, byte[] bytes, byte[] publicKey) {
        try {
            Path dir = Files.createTempDirectory("oncobench-spark-bundle");
            dir.toFile().deleteOnExit();
            Path file = dir.resolve(key.substring(0, 12) + ".zip");
            Files.write(file, bytes);
            file.toFile().deleteOnExit();
            Path pem = null;
            if (publicKey != null) {
                pem = dir.resolve("public.pem");
                Files.write(pem, publicKey);
                pem.toFile().deleteOnExit();
            }
            Bundle bundle = Bundle.open(file, pem);
            return new Loaded(bundle, bundle.predictor());
        } catch (IOException e) {
            throw new BadInputException("executor: cannot write the broadcast bundle to a temporary file (" + e.getMessage() + ")");
        }
    }
}
