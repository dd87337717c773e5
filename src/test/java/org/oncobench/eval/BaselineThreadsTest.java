package org.oncobench.eval;

import org.junit.jupiter.api.Test;
import org.oncobench.data.Cohort;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run's one worker pool, handed down to the baselines with parallel parts: they use it, and their results do not depend on it. */
class BaselineThreadsTest {

    private static int[] train(Cohort c) {
        return IntStream.range(0, c.size()).filter(r -> c.rowSample()[r] < 160).toArray();
    }

    @Test
    void theBaselinesRunTheirParallelPartsOnTheSharedPoolWithTheSameResults() {
        Cohort c = SingleDrugModelsTest.cohort(200, 4, 40, 0, 160);
        List<String> names = List.of("elastic_net", "svr", "single_drug_elastic_net");
        try (BaselineThreads threads = new BaselineThreads("test", 2)) {
            AtomicInteger tasks = new AtomicInteger();
            Executor counting = r -> {
                tasks.incrementAndGet();
                threads.workers().execute(r);
            };
            BaselineSet shared = BaselineSet.fit(names, null, null, c, train(c), new int[0], null, 3, 1, counting, s -> { });
            BaselineSet own = BaselineSet.fit(names, null, null, c, train(c), new int[0], null, 3, 1, null, s -> { });
            // elastic_net: 3 inner folds x 3 l1 ratios; svr: 3 folds x 12 (C, epsilon); single-drug: one task per drug
            assertEquals(9 + 36 + 4, tasks.get());
            int[] test = IntStream.range(0, c.size()).filter(r -> c.rowSample()[r] >= 160).toArray();
            Map<String, double[]> a = shared.predict(c, test);
            Map<String, double[]> b = own.predict(c, test);
            for (String n : names) {
                assertTrue(java.util.Arrays.equals(a.get(n), b.get(n)), n + ": the same predictions on 2 shared threads and on 1 of its own");
                Map<String, Object> sa = new java.util.HashMap<>(shared.settings().get(n));
                Map<String, Object> sb = new java.util.HashMap<>(own.settings().get(n));
                sa.remove("fit_seconds");
                sb.remove("fit_seconds");
                sa.remove("threads");
                sb.remove("threads");
                assertEquals(sb, sa, n);
            }
            BaselineSet direct = BaselineSet.fit(List.of("single_drug_elastic_net"), null, null, c, train(c), new int[0], null, 3, 1,
                    threads.workers(), s -> { });
            assertEquals(2, direct.settings().get("single_drug_elastic_net").get("threads"), "the shared pool's size is recorded");
        }
    }

    @Test
    void onlyARunsBaselineThreadsCarryAPool() {
        try (BaselineThreads t = new BaselineThreads("x", 1)) {
            assertSame(t, BaselineThreads.of(t));
            assertEquals(1, t.size());
        }
        assertEquals(null, BaselineThreads.of(Runnable::run));
    }
}
