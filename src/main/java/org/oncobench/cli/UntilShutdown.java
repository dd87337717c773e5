package org.oncobench.cli;

import java.util.concurrent.CountDownLatch;

/** Keeps a server command in the foreground until Ctrl-C (or SIGTERM), then stops its server. */
final class UntilShutdown {
    private UntilShutdown() {
    }

    static void await(Runnable stopServer, String threadName) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stopServer.run();
            } finally {
                stopped.countDown();
            }
        }, threadName));
        stopped.await();
    }
}
