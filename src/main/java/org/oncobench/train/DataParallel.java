package org.oncobench.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.parallelism.factory.TrainerContext;
import org.deeplearning4j.parallelism.trainer.DefaultTrainer;
import org.deeplearning4j.parallelism.trainer.Trainer;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.oncobench.model.Seeds;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One epoch of data-parallel training with DL4J's ParallelWrapper ({@code training.workers}): each worker trains a
 * replica on its own mini-batch (the batches go round-robin), then parameters and Adam's state are averaged over the
 * workers after every round, so N workers take N mini-batches per synchronised step. Worker 0 trains the network
 * itself, so it ends up holding the averaged result.
 *
 * <p>Deterministic for a given worker count: the batches reach the workers in a fixed order, the averaging sums in a
 * fixed order, and every worker reseeds ND4J's generator (which is per thread, and which dropout draws from) before each
 * of its batches from (seed, epoch, worker, batch), instead of the generator DL4J's worker threads start with. Two
 * things in DL4J 1.0.0-M2.1 are worked around for that (DataParallelTest caught both as runs that differed): its
 * builder replaces a custom trainer factory in AVERAGING mode, so ours is set after {@code build()}; and its workers
 * copy the network when their thread starts while worker 0 may already be training it, so worker 0 waits for them.
 */
public final class DataParallel {
    private DataParallel() {
    }

    /** One epoch over {@code batches} with {@code workers} replicas; {@code net} holds the averaged result afterwards. */
    public static void fitEpoch(ComputationGraph net, MultiDataSetIterator batches, int workers, long seed, int epoch, List<TrainingListener> listeners) {
        ParallelWrapper wrapper = new ParallelWrapper.Builder<>(net)
                .workers(workers)
                .prefetchBuffer(0) // batches are gathered in the calling thread, in order
                .averagingFrequency(1)
                .averageUpdaters(true)
                .reportScoreAfterAveraging(false)
                .workspaceMode(net.getConfiguration().getTrainingWorkspaceMode())
                .build();
        // after build(): in AVERAGING mode DL4J's builder replaces any trainerFactory(...) with its DefaultTrainerContext
        wrapper.setTrainerContext(new SeededContext(seed, epoch, new java.util.concurrent.CountDownLatch(workers)));
        wrapper.setListeners(listeners);
        try {
            wrapper.fit(batches);
        } finally {
            wrapper.shutdown();
        }
    }

    /** Creates {@link SeededTrainer}s; {@code ready} counts the workers whose replica is set up. */
    private record SeededContext(long seed, int epoch, java.util.concurrent.CountDownLatch ready) implements TrainerContext {
        @Override
        public void init(Model model, Object... args) {
        }

        @Override
        public Trainer create(String uuid, int threadId, Model model, int rootDevice, boolean useMDS, ParallelWrapper wrapper,
                              WorkspaceMode mode, int averagingFrequency) {
            SeededTrainer t = new SeededTrainer(seed * 1_000_003L + epoch * 10_007L + threadId, ready, uuid + "_thread_" + threadId, threadId,
                    model, useMDS, wrapper, mode, averagingFrequency);
            t.setName("oncobench data-parallel worker " + threadId);
            t.setDaemon(true);
            return t;
        }

        @Override
        public void finalizeRound(Model originalModel, Model... models) {
        }

        @Override
        public void finalizeTraining(Model originalModel, Model... models) {
        }
    }

    /**
     * DL4J's worker, reseeding its thread's generator before each batch, and starting its first batch only once every
     * worker has copied the network: DL4J's workers copy it when their thread starts, while worker 0 may already be
     * training the network itself, so a late copy would pick up an update (seen as runs that differed).
     */
    static final class SeededTrainer extends DefaultTrainer {
        private final long workerSeed;
        private final java.util.concurrent.CountDownLatch ready;
        private long batchesSeen;

        SeededTrainer(long workerSeed, java.util.concurrent.CountDownLatch ready, String uuid, int threadId, Model model, boolean useMDS,
                      ParallelWrapper wrapper, WorkspaceMode mode, int averagingFrequency) {
            super();
            this.workerSeed = workerSeed;
            this.ready = ready;
            // what DefaultTrainer's builder sets (its defaults included: a no-argument constructor does not apply them)
            this.originalModel = model;
            this.replicatedModel = model;
            this.threadId = threadId;
            this.parallelWrapper = wrapper;
            this.workspaceMode = mode;
            this.useMDS = useMDS;
            this.uuid = uuid;
            this.averagingFrequency = averagingFrequency;
            this.queue = new LinkedBlockingQueue<>(1);
            this.queueMDS = new LinkedBlockingQueue<>(1);
            this.running = new AtomicInteger(0);
            this.shouldUpdate = new AtomicBoolean(false);
            this.shouldStop = new AtomicBoolean(false);
            this.onRootModel = false;
            this.lastEtlTime = new AtomicLong(0);
            this.nullMode = new AtomicBoolean(false);
            this.isStopped = new AtomicBoolean(false);
        }

        /**
         * What the calling thread does while this worker trains: DL4J parks it for 1 microsecond at a time, a spin that
         * took one of this machine's two cores from the workers; 50 microseconds costs little latency per round.
         */
        @Override
        public void waitTillRunning() {
            while (running.get() != 0) {
                if (thrownException != null) {
                    throw new IllegalStateException("data-parallel worker " + threadId + " failed: " + thrownException.getMessage(), thrownException);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(50_000L);
            }
        }

        @Override
        protected void postInit() {
            super.postInit(); // DL4J calls it once the replica holds the network's parameters and updater state
            ready.countDown();
        }

        @Override
        protected void fit(MultiDataSet dataSet) {
            if (batchesSeen == 0) {
                try {
                    ready.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while the data-parallel workers set up", e);
                }
            }
            Seeds.seedNd4j(workerSeed * 31 + batchesSeen++);
            super.fit(dataSet);
        }
    }
}
