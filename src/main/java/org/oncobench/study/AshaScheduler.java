package org.oncobench.study;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Asynchronous successive halving (ASHA; Li et al., "A System for Massively Parallel Hyperparameter Tuning", MLSys
 * 2020, Algorithm 2). Rung {@code k} trains a trial to {@code min_epochs * eta^k} epochs; the top rung is
 * {@code max_epochs}. Whenever a worker is free, the highest rung with a trial in the top {@code 1/eta} of its finished
 * trials that has not been promoted yet promotes it one rung up (it continues from its checkpoint); otherwise a new
 * trial starts at rung 0; otherwise the worker waits for a running job. A full search is the one-rung case
 * ({@code min_epochs = max_epochs}). Not thread-safe: the study calls it under its own lock.
 */
public final class AshaScheduler {
    /** One unit of work: train {@code trial} from {@code fromEpochs} (0: a new run) to {@code epochs} at rung {@code rung}. */
    public record Job(int trial, int rung, int fromEpochs, int epochs) {
    }

    private final int[] budgets;
    private final int eta;
    private final boolean lowerIsBetter;
    private final int[] order;
    private int nextNew;
    private final List<Map<Integer, Double>> rungs = new ArrayList<>();
    private final List<Set<Integer>> promoted = new ArrayList<>();
    private final Set<Job> running = new HashSet<>();
    private final Set<Integer> failed = new HashSet<>();

    /**
     * @param order the trials in the order they start (a permutation of 0..n-1)
     */
    public AshaScheduler(int minEpochs, int maxEpochs, int eta, boolean lowerIsBetter, int[] order) {
        this.budgets = budgets(minEpochs, maxEpochs, eta);
        this.eta = eta;
        this.lowerIsBetter = lowerIsBetter;
        this.order = order.clone();
        for (int i = 0; i < budgets.length; i++) {
            rungs.add(new LinkedHashMap<>());
            promoted.add(new HashSet<>());
        }
    }

    /** Epochs per rung: min * eta^k while below max (k < floor(log_eta(max/min))), then max. */
    public static int[] budgets(int minEpochs, int maxEpochs, int eta) {
        List<Integer> b = new ArrayList<>();
        long r = minEpochs;
        while (r < maxEpochs && r * eta <= maxEpochs) {
            b.add((int) r);
            r *= eta;
        }
        b.add(maxEpochs);
        return b.stream().mapToInt(Integer::intValue).toArray();
    }

    public int[] budgets() {
        return budgets.clone();
    }

    /** The next job, or empty when none can start now (all trials started, nothing promotable): wait, or {@link #done}. */
    public Optional<Job> next() {
        for (int k = budgets.length - 2; k >= 0; k--) {
            Optional<Integer> candidate = promotable(k);
            if (candidate.isPresent()) {
                promoted.get(k).add(candidate.get());
                Job job = new Job(candidate.get(), k + 1, budgets[k], budgets[k + 1]);
                running.add(job);
                return Optional.of(job);
            }
        }
        if (nextNew < order.length) {
            Job job = new Job(order[nextNew++], 0, 0, budgets[0]);
            running.add(job);
            return Optional.of(job);
        }
        return Optional.empty();
    }

    /** The best trial of rung k's top 1/eta (of the trials finished there) that is not yet promoted. */
    private Optional<Integer> promotable(int k) {
        Map<Integer, Double> rung = rungs.get(k);
        int top = rung.size() / eta;
        return ranked(k).stream().limit(top).filter(t -> !promoted.get(k).contains(t)).findFirst();
    }

    /** Rung k's finished trials, best first (ties: the lower trial number). */
    public List<Integer> ranked(int k) {
        Comparator<Map.Entry<Integer, Double>> byScore = Comparator.comparingDouble(Map.Entry::getValue);
        if (!lowerIsBetter) {
            byScore = byScore.reversed();
        }
        return rungs.get(k).entrySet().stream().sorted(byScore.thenComparing(Map.Entry::getKey)).map(Map.Entry::getKey).toList();
    }

    public void finished(Job job, double score) {
        running.remove(job);
        if (!Double.isFinite(score)) {
            failed.add(job.trial());
            return;
        }
        rungs.get(job.rung()).put(job.trial(), score);
    }

    /** A job that failed: its trial leaves the study (it is never promoted). */
    public void failed(Job job) {
        running.remove(job);
        failed.add(job.trial());
    }

    /**
     * Replays a job a killed study had finished (from trials.jsonl), before any {@link #next} call: trial starts and
     * promotions are reconstructed from the results.
     */
    public void replay(int trial, int rung, double score) {
        if (rung > 0) {
            promoted.get(rung - 1).add(trial);
        }
        if (rung == 0) {
            markStarted(trial);
        }
        if (Double.isFinite(score)) {
            rungs.get(rung).put(trial, score);
        } else {
            failed.add(trial);
        }
    }

    /** A job a killed study had started but not finished: it is started again now (returned to be run first). */
    public Job replayUnfinished(int trial, int rung) {
        if (rung > 0) {
            promoted.get(rung - 1).add(trial);
        } else {
            markStarted(trial);
        }
        Job job = new Job(trial, rung, rung == 0 ? 0 : budgets[rung - 1], budgets[rung]);
        running.add(job);
        return job;
    }

    private void markStarted(int trial) {
        // trials start in order; a replayed start moves the cursor past it (and keeps the order of the rest)
        int at = -1;
        for (int i = 0; i < order.length; i++) {
            if (order[i] == trial) {
                at = i;
            }
        }
        if (at >= nextNew) {
            for (int i = at; i > nextNew; i--) {
                order[i] = order[i - 1];
            }
            order[nextNew++] = trial;
        }
    }

    public boolean done() {
        return running.isEmpty() && nextNew >= order.length && java.util.stream.IntStream.range(0, budgets.length - 1)
                .allMatch(k -> promotable(k).isEmpty());
    }

    /** The highest rung each trial finished ({@code -1}: none). */
    public int rungOf(int trial) {
        for (int k = budgets.length - 1; k >= 0; k--) {
            if (rungs.get(k).containsKey(trial)) {
                return k;
            }
        }
        return -1;
    }

    public Double score(int trial, int rung) {
        return rungs.get(rung).get(trial);
    }

    public boolean hasFailed(int trial) {
        return failed.contains(trial);
    }
}
