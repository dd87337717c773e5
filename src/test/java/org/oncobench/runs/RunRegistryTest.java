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

    /** A damaged index file is the user's to rebuild (exit 2, named); a defect in a write is not, and is not reported as one. */
    @Test
    void onlyADamagedIndexIsReportedAsOneToRebuild() throws Exception {
        Path garbage = dir.resolve("garbage");
        java.nio.file.Files.createDirectories(garbage);
        byte[] bytes = new byte[4096];
        new java.util.Random(1).nextBytes(bytes);
        java.nio.file.Files.write(garbage.resolve(RunRegistry.FILE), bytes);
        org.oncobench.config.BadInputException damaged = org.junit.jupiter.api.Assertions.assertThrows(org.oncobench.config.BadInputException.class,
                () -> new RunRegistry(garbage).list());
        org.junit.jupiter.api.Assertions.assertTrue(damaged.getMessage().contains("oncobench runs rebuild"), damaged.getMessage());

        RunRegistry registry = new RunRegistry(dir.resolve("fine"));
        registry.put(record("20261122-100000-t-0001"));
        RunRecord unwritable = new RunRecord("20261122-100000-t-0002", "t", "completed", "2026-11-22T10:00:00Z", null, 1, "h", "mixed", "mlp",
                "rmse", 1.0, null, null, null, null, null, null, java.util.Map.of("x", new Object())); // Jackson cannot write a bare Object
        RuntimeException bug = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> registry.put(unwritable));
        org.junit.jupiter.api.Assertions.assertFalse(bug instanceof org.oncobench.config.BadInputException, bug.toString());
        org.junit.jupiter.api.Assertions.assertEquals(1, registry.list().size(), "the failed write changed nothing");
    }
}
