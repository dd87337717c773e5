package org.oncobench.eval;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * A run's threads for its baselines, created once per run and shut down when it ends: one thread on which each fold's
 * {@link BaselineSet} fits beside the network (what {@link #execute} runs on), and a pool of {@link #workers()} that
 * the baselines with parallel parts share - the elastic net's and the liblinear baselines' inner-CV fits, and one
 * model per drug for the single-drug baselines - instead of each starting a pool of its own. Their results do not
 * depend on the pool's size (every task has its own seed, and sums run in a fixed order).
 */
public final class BaselineThreads implements Executor, AutoCloseable {
    private final ExecutorService fitter;
    private final ForkJoinPool workers;
    private final int size;

    /** @param name names the threads (the run id); @param workers the pool's size (at least 1) */
    public BaselineThreads(String name, int workers) {
        this.size = Math.max(1, workers);
        this.fitter = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "oncobench-baselines-" + name);
            t.setDaemon(true); // an interrupted run does not wait for its baselines
            return t;
        });
        this.workers = new ForkJoinPool(size, pool -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName("oncobench-baseline-worker-" + name + "-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, false);
    }

    /** Runs a fold's baseline fit on the run's baseline thread. */
    @Override
    public void execute(Runnable command) {
        fitter.execute(command);
    }

    /** The pool the baselines' parallel parts share. */
    public Executor workers() {
        return workers;
    }

    /** The pool's size: the parallelism the baselines record. */
    public int size() {
        return size;
    }

    /** The worker pool of an executor handed down a run, if it is one of these (else null: fits start pools of their own). */
    public static BaselineThreads of(Executor e) {
        return e instanceof BaselineThreads b ? b : null;
    }

    @Override
    public void close() {
        fitter.shutdown();
        workers.shutdown();
    }
}
