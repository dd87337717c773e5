package org.oncobench.runs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunRegistryTest {
    @TempDir
    Path dir;

    static RunRecord record(String id) {
        return new RunRecord(id, "t", "completed", "2026-11-22T10:00:00Z", "2026-11-22T10:01:00Z", 1, "h", "mixed", "mlp", "rmse", 1.0,
                "drug_mean", 1.2, 60.0, null, null, null, null);
    }

    /** The UI's handler threads and a training in the same JVM use the index at once: no OverlappingFileLockException. */
    @Test
    void threadsOfOneProcessListAndPublishAtOnce() throws Exception {
        int threads = 12;
        int rounds = 15;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                // separate registry objects over one folder, as separate RunStores in one JVM are
                RunRegistry registry = new RunRegistry(dir);
                try {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        registry.put(record(String.format("run-%02d-%02d", thread, i)));
                        registry.list();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(2, TimeUnit.MINUTES);
        }
        pool.shutdown();
        assertTrue(failures.isEmpty(), () -> failures.size() + " calls failed, first: " + failures.peek());
        Set<String> ids = new RunRegistry(dir).list().stream().map(RunRecord::id).collect(Collectors.toSet());
        assertEquals(threads * rounds, ids.size());
        assertTrue(ids.contains("run-00-00") && ids.contains(String.format("run-%02d-%02d", threads - 1, rounds - 1)));
    }
}
