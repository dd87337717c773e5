package org.oncobench.notebook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernelspec Jupyter finds under {@code DATA_DIR/kernels/oncobench/kernel.json}: this JVM's java, its class path
 * (the built jar and its libraries), the project folder, and the environment the launcher gives the CLI (one OpenMP
 * thread unless told otherwise, the runs folder).
 */
public final class KernelSpec {
    public static final String NAME = "oncobench";
    public static final String DISPLAY_NAME = "Java (oncobench)";

    private KernelSpec() {
    }

    /**
     * Writes the kernelspec and returns its folder.
     *
     * @param dataDir   a Jupyter data folder (JUPYTER_PATH / JUPYTER_DATA_DIR points Jupyter at it)
     * @param home      the project folder: experiments and datasets named relative to it resolve from any notebook folder
     * @param classPath the kernel's class path (normally this JVM's)
     * @param env       environment for the kernel (OMP_NUM_THREADS, ONCOBENCH_RUNS_DIR)
     * @param jvmOptions options such as -Xmx
     */
    public static Path install(Path dataDir, Path home, String classPath, Map<String, String> env, List<String> jvmOptions) {
        Path dir = dataDir.resolve("kernels").resolve(NAME);
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(jvmOptions);
        argv.add("-Doncobench.home=" + home.toAbsolutePath().normalize());
        argv.add("-Djava.awt.headless=true");
        argv.add("-cp");
        argv.add(stableClassPath(classPath, dir));
        argv.add(KernelMain.class.getName());
        argv.add("{connection_file}");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("argv", argv);
        spec.put("display_name", DISPLAY_NAME);
        spec.put("language", "java");
        spec.put("interrupt_mode", "message");
        spec.put("env", env);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("kernel.json"), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(spec));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the kernelspec in " + dir, e);
        }
        return dir;
    }

    /** A launcher snapshot of the jar: {@code target/launch/oncobench-<mtime>.jar}, pruned after five newer builds. */
    private static final java.util.regex.Pattern SNAPSHOT = java.util.regex.Pattern.compile("oncobench-\\d+\\.jar");

    /**
     * The class path with a launcher snapshot jar replaced by a copy of it in the kernelspec's folder
     * ({@code kernels/oncobench/oncobench.jar}): the launcher prunes old snapshots after five builds, and a kernel.json
     * naming one then starts no kernel. The copy is replaced atomically at each install (a running kernel keeps the file
     * it opened), so a rebuild never swaps classes under a running kernel either.
     */
    static String stableClassPath(String classPath, Path kernelDir) {
        List<String> entries = new ArrayList<>();
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (p.getFileName() != null && SNAPSHOT.matcher(p.getFileName().toString()).matches() && p.getParent() != null
                    && "launch".equals(String.valueOf(p.getParent().getFileName())) && Files.isRegularFile(p)) {
                Path stable = kernelDir.resolve("oncobench.jar");
                try {
                    Files.createDirectories(kernelDir);
                    Path tmp = kernelDir.resolve(".oncobench.jar.tmp");
                    Files.copy(p, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, stable, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot copy " + p + " for the kernel to " + stable, e);
                }
                entries.add(stable.toAbsolutePath().toString());
            } else {
                entries.add(entry);
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }
}
