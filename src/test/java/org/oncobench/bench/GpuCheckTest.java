package org.oncobench.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.oncobench.runs.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GpuCheckTest {
    private static GpuCheck.Side side(String asked, String backend, double rmse, double ms) {
        return new GpuCheck.Side(asked, backend, backend.equals("JCublasBackend") ? "NVIDIA A100" : "cpu", rmse, ms, null);
    }

    @Test
    void readyOnlyWhenTheGpuSideRanOnCudaAndMatchesTheCpuSide() {
        GpuCheck.Result ok = GpuCheck.judge(side("gpu", "JCublasBackend", 0.8312, 1.5), side("cpu", "CpuBackend", 0.8305, 6.0));
        assertTrue(ok.ready(), ok.verdict());
        assertEquals(4.0, (Double) ok.toMap().get("speedup"), 1e-12);
        assertEquals(0.0007, (Double) ok.toMap().get("rmse_difference"), 1e-9);

        GpuCheck.Result apart = GpuCheck.judge(side("gpu", "JCublasBackend", 0.85, 1.5), side("cpu", "CpuBackend", 0.83, 6.0));
        assertFalse(apart.ready());
        assertTrue(apart.verdict().contains("0.0200 apart"), apart.verdict());
    }

    @Test
    void aSilentFallBackToTheCpuIsNotReady() {
        // ND4J takes its CPU backend without a word when the CUDA one finds no device: the provenance tells
        GpuCheck.Result r = GpuCheck.judge(side("gpu", "CpuBackend", 0.83, 6.0), side("cpu", "CpuBackend", 0.83, 6.0));
        assertFalse(r.ready());
        assertTrue(r.verdict().startsWith("not ready: ND4J ran on CpuBackend"), r.verdict());
        assertTrue(r.verdict().contains("this build has no CUDA backend"), r.verdict());
        assertFalse(r.toMap().containsKey("speedup"));
        // with a CUDA backend that did not load, the reason ND4J logged is the verdict's
        GpuCheck.Side noDriver = new GpuCheck.Side("gpu", "CpuBackend", "cpu", 0.83, 6.0, null, "java.lang.UnsatisfiedLinkError: libcuda.so.1");
        GpuCheck.Result d = GpuCheck.judge(noDriver, side("cpu", "CpuBackend", 0.83, 6.0));
        assertTrue(d.verdict().endsWith("its CUDA backend did not load: java.lang.UnsatisfiedLinkError: libcuda.so.1"), d.verdict());
    }

    @Test
    void theCudaErrorIsTakenFromTheChildsConsole(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path log = dir.resolve("console.log");
        java.nio.file.Files.writeString(log, "experiment quickstart\n"
                + "java.lang.UnsatisfiedLinkError: /root/.javacpp/cache/cuda-11.6-8.3-1.5.7-linux-x86_64.jar/org/bytedeco/cuda/linux-x86_64/"
                + "libjnicudart.so: libcuda.so.1: cannot open shared object file: No such file or directory\n"
                + "\tat org.bytedeco.cuda.global.cudart.<clinit>(cudart.java:14)\n");
        assertTrue(GpuCheck.cudaError(log).startsWith("java.lang.UnsatisfiedLinkError: /root/.javacpp/cache/cuda-11.6"), GpuCheck.cudaError(log));
        java.nio.file.Files.writeString(log, "experiment quickstart\n  model (mlp) 1.043\n");
        assertEquals(null, GpuCheck.cudaError(log));
    }

    @Test
    void aFailedGpuRunOrAMissingCpuBackendIsReportedAsSuch() {
        GpuCheck.Side failed = new GpuCheck.Side("gpu", null, null, null, null, "exit code 1; UnsatisfiedLinkError: libcuda.so.1");
        GpuCheck.Result r = GpuCheck.judge(failed, side("cpu", "CpuBackend", 0.83, 6.0));
        assertFalse(r.ready());
        assertTrue(r.verdict().contains("libcuda.so.1"), r.verdict());
        // a -Pcuda build alone: both JVMs run on CUDA, nothing to compare with
        GpuCheck.Result gpuOnly = GpuCheck.judge(side("gpu", "JCublasBackend", 0.83, 1.5), side("cpu", "JCublasBackend", 0.83, 1.5));
        assertFalse(gpuOnly.ready());
        assertTrue(gpuOnly.verdict().contains("-Pcuda,cpu"), gpuOnly.verdict());
    }

    @Test
    void theStepTimeIsTheMedianEpochAfterTheFirstOverItsSteps() throws Exception {
        JsonNode m = Json.mapper().readTree("{\"timing\":{\"epoch_seconds\":[9.0,0.5,0.3,0.4]},\"split\":{\"train_rows\":1000}}");
        // epochs 2..4: median 0.4 s over ceil(1000 / 128) = 8 steps
        assertEquals(50.0, GpuCheck.stepMs(m, 128), 1e-9);
    }
}
