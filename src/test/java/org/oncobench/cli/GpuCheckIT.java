package org.oncobench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.runs.Json;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench --cases gpu} on this CPU-only machine and CPU build (issue 30, item 5): both child JVMs run on the CPU
 * backend, so the check must say "not ready" with the reason and exit 1, and the two runs of the same experiment on the
 * same backend must agree to the last bit.
 */
class GpuCheckIT {
    @TempDir
    Path dir;

    @Test
    void onACpuOnlyMachineTheCheckSaysNotReadyAndWhy() throws Exception {
        RunCommandIT.Result r = RunCommandIT.cli("bench", "--cases", "gpu", "--epochs", "2", "--work", dir.resolve("work").toString(),
                "--out", dir.resolve("out").toString(), "--json");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("gpu: not ready: ND4J ran on CpuBackend, not on CUDA (JCublasBackend): this build has no CUDA backend"),
                r.err());
        JsonNode gpu = Json.mapper().readTree(r.out()).path("gpu");
        assertEquals("CpuBackend", gpu.path("gpu").path("backend").asText());
        assertEquals("gpu", gpu.path("gpu").path("asked_for").asText());
        assertEquals("CpuBackend", gpu.path("cpu").path("backend").asText());
        double a = gpu.path("gpu").path("test_rmse").asDouble();
        double b = gpu.path("cpu").path("test_rmse").asDouble();
        assertTrue(a > 0.5 && a < 2.0, "quickstart RMSE after 2 epochs: " + a);
        assertEquals(a, b, 0.0, "the same experiment on the same backend, twice");
        assertEquals(0.0, gpu.path("rmse_difference").asDouble(), 0.0);
        try (var files = Files.list(dir.resolve("out"))) {
            assertEquals(2, files.filter(f -> f.getFileName().toString().startsWith("bench-")).count());
        }
    }
}
