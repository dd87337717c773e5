package org.oncobench.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kernel.json never names a launcher snapshot jar (issue 26 item 14): the launcher prunes target/launch/oncobench-*.jar
 * after five builds, and a kernel pinned to one then failed to start. It names a copy in the kernelspec's folder.
 */
class KernelSpecTest {
    @TempDir
    Path dir;

    @Test
    void theKernelUsesAStableCopyOfTheLauncherSnapshot() throws Exception {
        Path launch = Files.createDirectories(dir.resolve("target/launch"));
        Path snapshot = Files.write(launch.resolve("oncobench-1764748800.jar"), new byte[]{1, 2, 3});
        Path lib = Files.write(Files.createDirectories(dir.resolve("target/lib")).resolve("nd4j.jar"), new byte[]{9});
        Path data = dir.resolve("target/jupyter");
        Path kernel = KernelSpec.install(data, dir, snapshot + File.pathSeparator + lib, Map.of("OMP_NUM_THREADS", "1"), List.of("-Xmx1g"));

        JsonNode spec = new ObjectMapper().readTree(kernel.resolve("kernel.json").toFile());
        List<String> argv = new ArrayList<>();
        spec.path("argv").forEach(a -> argv.add(a.asText()));
        String cp = argv.get(argv.indexOf("-cp") + 1);
        Path stable = kernel.resolve("oncobench.jar").toAbsolutePath();
        assertEquals(stable + File.pathSeparator + lib, cp, "the snapshot replaced by the kernel's copy; other entries kept");
        assertTrue(!cp.contains("target/launch"), cp);
        assertArrayEquals(new byte[]{1, 2, 3}, Files.readAllBytes(stable));

        // the launcher prunes the snapshot; a newer build installs again: the kernel's jar follows it
        Files.delete(snapshot);
        assertTrue(Files.isRegularFile(stable), "pruning the snapshot leaves the kernel's jar");
        Path newer = Files.write(launch.resolve("oncobench-1764750000.jar"), new byte[]{4, 5});
        KernelSpec.install(data, dir, newer + File.pathSeparator + lib, Map.of(), List.of());
        assertArrayEquals(new byte[]{4, 5}, Files.readAllBytes(stable));
        assertTrue(!Files.exists(kernel.resolve(".oncobench.jar.tmp")));
    }
}
