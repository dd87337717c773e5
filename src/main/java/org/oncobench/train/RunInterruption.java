package org.oncobench.train;

import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.StorageMetaData;

import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stops one run in order when the JVM is stopped (Ctrl-C, SIGTERM): the shutdown hook asks training to stop, the
 * training thread stops at its next safe point (between mini-batches, or wherever it meets a failure while the JVM
 * is going down) and parks there, so it writes nothing more; only then does the hook write the run's final state
 * (run.json and the index). DL4J's statistics storage (stats.dl4j, MapDB) closes itself from its own shutdown hook,
 * at a moment nobody orders; a write into it after that is dropped here instead of surfacing as
 * {@code IllegalAccessError: DB was closed} (issue 26 item 10).
 */
final class RunInterruption {
    /** How long the hook waits for training to reach a safe point before it records the interruption anyway. */
    private static final long WAIT_SECONDS = 10;
    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** The shutdown hook: stop training, then {@code writeFinalState} (which must not touch anything training still uses). */
    Thread hook(Runnable writeFinalState) {
        return new Thread(() -> {
            requested.countDown();
            try {
                stopped.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            writeFinalState.run();
        }, "oncobench-interrupt");
    }

    boolean isRequested() {
        return requested.getCount() == 0;
    }

    /** A safe point: when a stop was asked for, the calling (training) thread stops here for good. */
    void pauseIfRequested() {
        if (isRequested()) {
            park();
        }
    }

    /**
     * Called with a failure the run met: when the JVM is stopping, the failure is a consequence of that (a storage
     * closed by its own hook) and the thread stops here; otherwise returns, and the caller handles the failure.
     */
    void parkIfStopping(Throwable failure) {
        if (isRequested() || jvmStopping()) {
            park();
        }
    }

    private void park() {
        stopped.countDown();
        while (true) { // the JVM halts once the shutdown hooks are done
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // keep still: nothing may run after the final state is written
            }
        }
    }

    /** Whether the JVM has begun running its shutdown hooks (it then refuses new ones). */
    static boolean jvmStopping() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
        } catch (IllegalStateException shuttingDown) {
            return true;
        }
        Runtime.getRuntime().removeShutdownHook(probe);
        return false;
    }

    /** Training progress whose every callback is a safe point. */
    TrainingProgress guard(TrainingProgress progress) {
        return new TrainingProgress() {
            @Override
            public void batchDone(int epoch, int epochs, int batch, int batches, double loss) {
                pauseIfRequested();
                progress.batchDone(epoch, epochs, batch, batches, loss);
            }

            @Override
            public void epochDone(EpochRecord record, int epochs) {
                pauseIfRequested();
                progress.epochDone(record, epochs);
            }
        };
    }

    /** DL4J's statistics storage, written through safe points; a write the JVM's stopping made fail stops the thread quietly. */
    StatsStorageRouter guard(StatsStorageRouter stats) {
        return new StatsStorageRouter() {
            private void write(Runnable put) {
                pauseIfRequested();
                try {
                    put.run();
                } catch (RuntimeException | Error e) {
                    parkIfStopping(e);
                    throw e;
                }
            }

            @Override
            public void putStorageMetaData(StorageMetaData m) {
                write(() -> stats.putStorageMetaData(m));
            }

            @Override
            public void putStorageMetaData(Collection<? extends StorageMetaData> m) {
                write(() -> stats.putStorageMetaData(m));
            }

            @Override
            public void putStaticInfo(Persistable p) {
                write(() -> stats.putStaticInfo(p));
            }

            @Override
            public void putStaticInfo(Collection<? extends Persistable> p) {
                write(() -> stats.putStaticInfo(p));
            }

            @Override
            public void putUpdate(Persistable p) {
                write(() -> stats.putUpdate(p));
            }

            @Override
            public void putUpdate(Collection<? extends Persistable> p) {
                write(() -> stats.putUpdate(p));
            }
        };
    }
}
