package org.oncobench.study;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AshaSchedulerTest {
    // validation RMSE per trial at rung 0 (1 epoch), rung 1 (3 epochs), rung 2 (9 epochs); lower is better
    private static final double[] RUNG0 = {5, 3, 8, 1, 9, 2, 7, 6, 4};
    private static final double[] RUNG1 = {Double.NaN, 2.5, Double.NaN, 0.9, Double.NaN, 1.5, Double.NaN, Double.NaN, Double.NaN};
    private static final double RUNG2_TRIAL3 = 0.8;

    private static double score(AshaScheduler.Job j) {
        return j.rung() == 0 ? RUNG0[j.trial()] : j.rung() == 1 ? RUNG1[j.trial()] : RUNG2_TRIAL3;
    }

    private static int[] identity(int n) {
        return java.util.stream.IntStream.range(0, n).toArray();
    }

    @Test
    void budgetsGrowByEtaUpToMax() {
        assertArrayEquals(new int[]{3, 9, 27, 81}, AshaScheduler.budgets(3, 81, 3));
        assertArrayEquals(new int[]{3, 9, 30}, AshaScheduler.budgets(3, 30, 3));
        assertArrayEquals(new int[]{2, 4, 10}, AshaScheduler.budgets(2, 10, 2)); // 8 then 10 would add a rung of 2 epochs
        assertArrayEquals(new int[]{10}, AshaScheduler.budgets(10, 10, 3));
    }

    /**
     * The schedule worked by hand (one worker; min 1, max 9, eta 3; rungs of 1, 3, 9 epochs): a trial is promoted as soon
     * as it is in the top third of its rung's finished trials, before any new trial starts.
     */
    @Test
    void oneWorkerFollowsTheHandWorkedSchedule() {
        AshaScheduler s = new AshaScheduler(1, 9, 3, true, identity(9));
        List<String> jobs = new ArrayList<>();
        int epochs = 0;
        for (Optional<AshaScheduler.Job> j = s.next(); j.isPresent(); j = s.next()) {
            jobs.add(j.get().trial() + "@" + j.get().rung());
            epochs += j.get().epochs() - j.get().fromEpochs();
            s.finished(j.get(), score(j.get()));
        }
        assertEquals(List.of("0@0", "1@0", "2@0", "1@1", "3@0", "3@1", "4@0", "5@0", "5@1", "3@2", "6@0", "7@0", "8@0"), jobs);
        assertTrue(s.done());
        assertEquals(9 + 3 * 2 + 6, epochs, "9 trials x 1 epoch, 3 promotions by 2 epochs, one by 6");
        assertEquals(2, s.rungOf(3));
        assertEquals(List.of(3, 5, 1), s.ranked(1));
        assertEquals(-1, new AshaScheduler(1, 9, 3, true, identity(9)).rungOf(0));
    }

    @Test
    void promotedJobsContinueFromTheLowerRungsBudget() {
        AshaScheduler s = new AshaScheduler(3, 27, 3, true, identity(3));
        for (int i = 0; i < 3; i++) {
            AshaScheduler.Job j = s.next().orElseThrow();
            assertEquals(new AshaScheduler.Job(i, 0, 0, 3), j);
            s.finished(j, 10 - i); // trial 2 is best
        }
        assertEquals(new AshaScheduler.Job(2, 1, 3, 9), s.next().orElseThrow());
    }

    @Test
    void higherIsBetterForAuc() {
        AshaScheduler s = new AshaScheduler(1, 3, 3, false, identity(3));
        for (int i = 0; i < 3; i++) {
            AshaScheduler.Job j = s.next().orElseThrow();
            s.finished(j, 0.6 + 0.1 * i);
        }
        assertEquals(2, s.next().orElseThrow().trial());
    }

    /** With two workers a free worker starts new trials while a job runs; when none is left it waits (empty), not done. */
    @Test
    void asynchronousWorkersWaitForRunningJobs() {
        AshaScheduler s = new AshaScheduler(1, 3, 3, true, identity(3));
        AshaScheduler.Job a = s.next().orElseThrow();
        AshaScheduler.Job b = s.next().orElseThrow();
        AshaScheduler.Job c = s.next().orElseThrow();
        assertEquals(List.of(0, 1, 2), List.of(a.trial(), b.trial(), c.trial()));
        assertTrue(s.next().isEmpty());
        assertFalse(s.done());
        s.finished(b, 1.0);
        s.finished(c, 2.0);
        assertTrue(s.next().isEmpty(), "two finished trials: the top third of 2 is none");
        s.finished(a, 3.0);
        AshaScheduler.Job promoted = s.next().orElseThrow();
        assertEquals(new AshaScheduler.Job(1, 1, 1, 3), promoted);
        s.failed(promoted);
        assertTrue(s.done());
        assertTrue(s.hasFailed(1));
    }

    /** A study replayed from its log (finished jobs, one unfinished) continues with exactly the jobs the first run would have run. */
    @Test
    void replayContinuesTheSameSchedule() {
        AshaScheduler first = new AshaScheduler(1, 9, 3, true, new int[]{4, 0, 8, 2, 6, 1, 3, 5, 7});
        List<AshaScheduler.Job> all = new ArrayList<>();
        for (Optional<AshaScheduler.Job> j = first.next(); j.isPresent(); j = first.next()) {
            all.add(j.get());
            first.finished(j.get(), score(j.get()));
        }
        for (int killedAt = 1; killedAt < all.size(); killedAt++) {
            AshaScheduler again = new AshaScheduler(1, 9, 3, true, new int[]{4, 0, 8, 2, 6, 1, 3, 5, 7});
            for (AshaScheduler.Job done : all.subList(0, killedAt - 1)) {
                again.replay(done.trial(), done.rung(), score(done));
            }
            AshaScheduler.Job unfinished = all.get(killedAt - 1);
            AshaScheduler.Job redo = again.replayUnfinished(unfinished.trial(), unfinished.rung());
            assertEquals(unfinished, redo);
            again.finished(redo, score(redo));
            List<AshaScheduler.Job> rest = new ArrayList<>();
            for (Optional<AshaScheduler.Job> j = again.next(); j.isPresent(); j = again.next()) {
                rest.add(j.get());
                again.finished(j.get(), score(j.get()));
            }
            assertEquals(all.subList(killedAt, all.size()), rest, "killed after job " + killedAt);
        }
    }
}
