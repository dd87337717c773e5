package org.oncobench.runs;

import org.nd4j.linalg.factory.Nd4j;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.config.ExperimentConfig.ImageTableConfig;
import org.oncobench.config.ExperimentConfig.MatrixTableConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What produced a run, recorded automatically into {@code provenance.json}: the experiment repository's git commit and
 * dirty flag, oncobench / DL4J / ND4J versions, backend and device, cores, JVM, OS, seed and split seed, the SHA-256 of
 * every input file (an image folder hashes its tiles in name order) and the resolved configuration's hash.
 */
public final class Provenance {
    private Provenance() {
    }

    public static Map<String, Object> collect(ExperimentConfig config, Path experimentFile, String configHash) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("experiment_file", experimentFile.toString());
        p.put("config_hash", configHash);
        p.put("seed", config.seed());
        p.put("split_seed", config.splitSeed());
        p.put("git", git(experimentFile.toAbsolutePath().getParent()));
        Map<String, Object> versions = new LinkedHashMap<>();
        versions.put("oncobench", version(Provenance.class.getPackage().getImplementationVersion()));
        versions.put("dl4j", mavenVersion("org.deeplearning4j", "deeplearning4j-nn"));
        versions.put("nd4j", mavenVersion("org.nd4j", "nd4j-api"));
        p.put("versions", versions);
        p.put("backend", backend());
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("cores", Runtime.getRuntime().availableProcessors());
        host.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        host.put("omp_num_threads", System.getenv("OMP_NUM_THREADS"));
        host.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        host.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        p.put("host", host);
        p.put("inputs", inputHashes(config));
        return p;
    }

    /** SHA-256 of every input the experiment reads, keyed by path. */
    public static Map<String, String> inputHashes(ExperimentConfig config) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> files = new ArrayList<>();
        files.add(config.data().rows().file());
        if (config.data().sampleIds() != null) {
            files.add(config.data().sampleIds().file());
        }
        config.data().samples().values().forEach(t -> {
            if (t instanceof MatrixTableConfig m) {
                files.add(m.file());
                if (m.select() != null && m.select().genes() != null) {
                    files.add(m.select().genes());
                }
            } else if (t instanceof ImageTableConfig i) {
                files.add(i.dir());
            }
        });
        config.data().drugs().values().forEach(d -> files.add(d.file()));
        config.data().groups().values().forEach(g -> files.add(g.file()));
        for (String f : files) {
            out.putIfAbsent(f, sha256(Path.of(f)));
        }
        return out;
    }

    static String sha256(Path path) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                        md.update(path.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                        digest(md, f);
                    }
                }
            } else {
                digest(md, path);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash " + path, e);
        }
    }

    private static void digest(MessageDigest md, Path f) throws IOException {
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(f)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                md.update(buffer, 0, n);
            }
        }
    }

    private static Map<String, Object> backend() {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("name", Nd4j.getBackend().getClass().getSimpleName());
        b.put("data_type", Nd4j.dataType().toString());
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        Object devices = env.get("cuda.devicesInformation");
        if (devices != null) {
            b.put("devices", devices.toString()); // CUDA: name and memory of each device
        } else {
            b.put("device", "cpu");
            b.put("device_memory_bytes", env.getOrDefault("memory.available", Runtime.getRuntime().maxMemory()));
            b.put("blas", String.valueOf(env.getOrDefault("blas.vendor", "unknown")));
        }
        // which native build ran (e.g. linux-x86_64-onednn) and whether DL4J's layer helpers (oneDNN, cuDNN) were on:
        // convolutions give slightly different floating-point results with and without them
        b.put("native_build", org.bytedeco.javacpp.Loader.getPlatform() + System.getProperty("org.bytedeco.javacpp.platform.extension", ""));
        b.put("layer_helpers", !Boolean.parseBoolean(System.getProperty("org.eclipse.deeplearning4j.helpers.disable", "true")));
        // results are bit-identical run to run for one machine, build and thread count; the thread count ND4J used is part of that
        b.put("threads", Nd4j.getEnvironment().maxThreads());
        b.put("master_threads", Nd4j.getEnvironment().maxMasterThreads());
        return b;
    }

    private static Map<String, Object> git(Path dir) {
        Map<String, Object> g = new LinkedHashMap<>();
        String commit = run(dir, "git", "rev-parse", "HEAD");
        g.put("commit", commit);
        if (commit != null) {
            String status = run(dir, "git", "status", "--porcelain");
            g.put("dirty", status != null && !status.isBlank());
        }
        return g;
    }

    private static String run(Path dir, String... command) {
        return run(dir, java.time.Duration.ofSeconds(10), command);
    }

    /**
     * A command's standard output, or null when it fails, is missing or takes longer than {@code timeout} (then it is
     * killed). Its standard error is discarded, and its output is read beside the wait, so neither pipe can fill and
     * stall it.
     */
    static String run(Path dir, java.time.Duration timeout, String... command) {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return null; // not installed on this machine
        }
        try {
            p.getOutputStream().close();
            java.util.concurrent.CompletableFuture<String> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                } catch (IOException e) {
                    return null;
                }
            });
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return null;
            }
            String text = out.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return p.exitValue() == 0 ? text : null;
        } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            p.destroyForcibly();
            return null;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The version in a jar's Maven metadata (pom.properties), as shipped. */
    static String mavenVersion(String group, String artifact) {
        try (InputStream in = Provenance.class.getResourceAsStream("/META-INF/maven/" + group + "/" + artifact + "/pom.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties props = new Properties();
            props.load(in);
            return props.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String version(String v) {
        return v == null ? "development build" : v;
    }
}
