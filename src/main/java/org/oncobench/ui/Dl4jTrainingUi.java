package org.oncobench.ui;

import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.impl.VertxInternal;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.oncobench.http.AccessToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * DL4J's own training UI ({@link VertxUIServer}: overview, model graph, per-layer statistics), bound to one interface.
 * <p>
 * DL4J 1.0.0-M2.1 starts its Vert.x server with {@code HttpServer.listen(port)}, which listens on every interface; its
 * {@code UIServer.getInstance()} offers no host. So oncobench creates the server itself and hands it a Vert.x whose
 * {@code createHttpServer()} returns a server that listens on the requested host only; everything else (routes,
 * modules, assets) is DL4J's unchanged. The UI runs in multi-session mode: each run's statistics appear under
 * {@code /train/<run-id>}: live from the training's own storage when the UI runs inside {@code oncobench run --ui},
 * otherwise from a copy of the run's {@code stats.dl4j}, refreshed every few seconds while another process trains it.
 * Requests other than GET/HEAD are refused, which keeps DL4J's upload and remote-receiver routes closed.
 * <p>
 * DL4J's modules find their server through the JVM-wide {@code VertxUIServer.getInstance()}, which the constructor
 * sets: one instance per JVM (one per {@code ui} or {@code run --ui} process).
 */
public final class Dl4jTrainingUi implements AutoCloseable {
    static final int REFRESH_SECONDS = 5;
    private static final int SNAPSHOT_ATTEMPTS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(Dl4jTrainingUi.class);
    private final Vertx vertx;
    private final VertxUIServer server;
    private final Map<String, StatsStorage> attached = new ConcurrentHashMap<>();
    private final java.util.Set<StatsStorage> opened = ConcurrentHashMap.newKeySet(); // storages on our copies, closed by us
    private final Map<StatsStorage, Path> copyOf = new ConcurrentHashMap<>(); // each copy's file, deleted when it is replaced
    private final Path copies;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "oncobench-dl4j-snapshots");
        t.setDaemon(true);
        return t;
    });

    private Dl4jTrainingUi(Vertx vertx, VertxUIServer server, Path copies) {
        this.vertx = vertx;
        this.server = server;
        this.copies = copies;
    }

    /** Starts DL4J's UI on {@code host:port} (0 = any free port); with a token (nullable), only requests that carry it are served. */
    public static Dl4jTrainingUi start(String host, int port, AccessToken token) {
        // Vert.x logs through java.util.logging unless told otherwise; route it to SLF4J so logback keeps it quiet
        System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
        Path copies;
        try {
            copies = Files.createTempDirectory("oncobench-dl4j-ui");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temporary folder for DL4J's UI: " + e.getMessage(), e);
        }
        // Vert.x's file cache goes into the same folder, so stopping the UI leaves nothing behind
        System.setProperty("vertx.cacheDirBase", copies.resolve("vertx-cache").toString());
        Vertx real = Vertx.vertx();
        try {
            VertxUIServer.getMultiSession().set(true);
            VertxUIServer server = new VertxUIServer(); // DL4J's TrainModule finds it through VertxUIServer.getInstance()
            Vertx bound = (Vertx) Proxy.newProxyInstance(Dl4jTrainingUi.class.getClassLoader(), new Class<?>[]{VertxInternal.class},
                    new BindingVertx(real, host, port, token));
            server.init(bound, real.getOrCreateContext());
            CompletableFuture<Void> started = new CompletableFuture<>();
            Promise<Void> promise = Promise.promise();
            promise.future().onComplete(r -> {
                if (r.succeeded()) {
                    started.complete(null);
                } else {
                    started.completeExceptionally(r.cause());
                }
            });
            server.start(promise);
            started.get(30, TimeUnit.SECONDS);
            return new Dl4jTrainingUi(real, server, copies);
        } catch (Exception e) {
            real.close();
            deleteTree(copies);
            throw new IllegalStateException("cannot start DL4J's training UI on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getPort();
    }

    /** Shows a storage that is being written in this process (live statistics of a running training). */
    public synchronized void attachLive(String runId, StatsStorage storage) {
        StatsStorage previous = attached.put(runId, storage);
        server.attach(storage);
        if (previous != null) {
            release(previous);
        }
    }

    /** The training in this process is about to close its storage: DL4J's UI lets go of it while it can still read it. */
    public synchronized void detachLive(String runId, StatsStorage storage) {
        if (attached.remove(runId, storage)) {
            server.detach(storage);
        }
    }

    /** The training in this process has ended: shows the run's finished {@code stats.dl4j} (a copy) from now on. */
    public synchronized void trainingEnded(String runId, Path statsFile) {
        attachFile(runId, statsFile, () -> false);
    }

    /**
     * Shows a run's {@code stats.dl4j} and returns its DL4J session ids (empty when the run recorded none). The UI
     * reads a copy: MapDB locks the file it opens, and the run's own file must stay free for the training process
     * and for {@code oncobench resume}. While {@code running} says the run is training in another process, the copy
     * is refreshed every {@link #REFRESH_SECONDS} seconds, so DL4J's pages follow it.
     */
    public synchronized List<String> attachFile(String runId, Path statsFile, BooleanSupplier running) {
        StatsStorage storage = attached.get(runId);
        if (storage == null) {
            if (!Files.isRegularFile(statsFile)) {
                return List.of();
            }
            storage = snapshot(runId, statsFile);
            if (running.getAsBoolean()) {
                ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
                task[0] = refresher.scheduleWithFixedDelay(() -> {
                    boolean last = !running.getAsBoolean();
                    try {
                        snapshot(runId, statsFile);
                    } catch (RuntimeException e) {
                        LOG.debug("snapshot of {} not readable this time; next try in {} s", statsFile, REFRESH_SECONDS, e);
                    }
                    if (last) {
                        task[0].cancel(false);
                    }
                }, REFRESH_SECONDS, REFRESH_SECONDS, TimeUnit.SECONDS);
            }
        }
        return storage.listSessionIDs();
    }

    /**
     * Copies the file, opens the copy and shows it in place of the previous copy. A copy taken while the training
     * process writes can catch a record half-written; such a copy is dropped and taken again.
     */
    private synchronized StatsStorage snapshot(String runId, Path statsFile) {
        RuntimeException failure = null;
        for (int attempt = 0; attempt < SNAPSHOT_ATTEMPTS; attempt++) {
            StatsStorage storage = null;
            Path copy = copies.resolve(runId + "-" + System.nanoTime() + ".dl4j");
            try {
                Files.copy(statsFile, copy);
                storage = new FileStatsStorage(copy.toFile());
                opened.add(storage);
                copyOf.put(storage, copy);
                server.attach(storage); // reads every session's records: fails on a torn copy
                StatsStorage previous = attached.put(runId, storage);
                if (previous != null) {
                    release(previous);
                }
                return storage;
            } catch (IOException e) {
                failure = new IllegalStateException(statsFile + ": cannot copy (" + e.getMessage() + ")", e);
            } catch (RuntimeException e) {
                failure = new IllegalStateException(statsFile + ": DL4J cannot read it (" + e + ")", e);
            }
            if (storage != null) {
                release(storage); // closes it and deletes its copy
            } else {
                try {
                    Files.deleteIfExists(copy); // a partial copy
                } catch (IOException e) {
                    LOG.debug("could not delete {}", copy, e);
                }
            }
            try {
                Thread.sleep(100L * (attempt + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw failure;
    }

    /** Lets go of a storage: DL4J's UI stops reading it and, if it is one of our copies, it is closed and its file deleted. */
    private void release(StatsStorage storage) {
        quietly(() -> server.detach(storage), "detaching a storage");
        if (opened.remove(storage)) {
            quietly(() -> {
                try {
                    storage.close();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, "closing a snapshot");
        }
        Path copy = copyOf.remove(storage);
        if (copy != null) {
            try {
                Files.deleteIfExists(copy);
            } catch (IOException e) {
                LOG.debug("could not delete the replaced copy {}", copy, e);
            }
        }
    }

    /** Session ids of a run shown live or attached before; empty if none. */
    public List<String> sessions(String runId) {
        StatsStorage storage = attached.get(runId);
        return storage == null ? List.of() : storage.listSessionIDs();
    }

    /** True while the run's statistics come from a training in this process. */
    public boolean isLive(String runId) {
        StatsStorage storage = attached.get(runId);
        return storage != null && !opened.contains(storage);
    }

    /**
     * Stops DL4J's server and deletes every copy. Each step stands on its own: at Ctrl-C, MapDB's own shutdown hook may
     * have closed a storage already (reading it then throws IllegalAccessError, an Error), and nothing of that may
     * keep the copies on disk or reach the console.
     */
    @Override
    public synchronized void close() {
        refresher.shutdownNow();
        for (StatsStorage storage : attached.values()) {
            quietly(() -> server.detach(storage), "detaching a storage");
        }
        quietly(() -> {
            try {
                server.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stopping DL4J's UI server");
        quietly(vertx::close, "closing Vert.x");
        for (StatsStorage storage : opened) {
            quietly(() -> {
                try {
                    storage.close();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, "closing a copy");
        }
        opened.clear();
        attached.clear();
        copyOf.clear();
        deleteTree(copies);
    }

    private static void quietly(Runnable step, String what) {
        try {
            step.run();
        } catch (Throwable e) { // NOPMD: shutting down; every step must get its turn
            LOG.debug("{} failed while stopping the UI", what, e);
        }
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not delete {}", dir, e);
        }
    }

    /** Delegates to the real Vert.x except that new HTTP servers listen on the given host. */
    private record BindingVertx(Vertx real, String host, int port, AccessToken token) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Object result = call(real, method, args);
            if (method.getName().equals("createHttpServer") && result instanceof HttpServer http) {
                return Proxy.newProxyInstance(Dl4jTrainingUi.class.getClassLoader(), new Class<?>[]{HttpServer.class}, new BindingServer(http, host, port, token));
            }
            return result;
        }
    }

    /**
     * {@code listen(port, handler)} becomes {@code listen(port, host, handler)}; requests other than GET/HEAD get 405, and
     * with a token, requests without it (header, the workbench's cookie, or {@code ?token=}) get 401.
     */
    private record BindingServer(HttpServer real, String host, int port, AccessToken token) implements InvocationHandler {
        @Override
        @SuppressWarnings("unchecked")
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getName().equals("listen") && args != null && args.length == 2 && args[0] instanceof Integer) {
                real.listen(port, host, (Handler<AsyncResult<HttpServer>>) args[1]);
                return proxy;
            }
            if (method.getName().equals("requestHandler") && args != null && args.length == 1 && args[0] instanceof Handler<?> h) {
                Handler<HttpServerRequest> pages = (Handler<HttpServerRequest>) h;
                real.requestHandler(request -> {
                    if (token != null && !token.admits(request.getHeader("Authorization"), request.getHeader("Cookie"), request.getParam("token"))) {
                        request.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer realm=\"oncobench\"")
                                .end("this server requires its access token: open the workbench's address with ?token=... first\n");
                    } else if (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD) {
                        pages.handle(request);
                    } else { // read-only: DL4J's upload and remote-receiver routes stay closed
                        request.response().setStatusCode(405).putHeader("Allow", "GET, HEAD").end("read-only\n");
                    }
                });
                return proxy;
            }
            Object result = call(real, method, args);
            return result == real ? proxy : result;
        }
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
