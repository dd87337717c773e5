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
import java.util.concurrent.TimeUnit;

/**
 * DL4J's own training UI ({@link VertxUIServer}: overview, model graph, per-layer statistics), bound to one interface.
 * <p>
 * DL4J 1.0.0-M2.1 starts its Vert.x server with {@code HttpServer.listen(port)}, which listens on every interface; its
 * {@code UIServer.getInstance()} offers no host. So oncobench creates the server itself and hands it a Vert.x whose
 * {@code createHttpServer()} returns a server that listens on the requested host only; everything else (routes,
 * modules, assets) is DL4J's unchanged. The UI runs in multi-session mode: each run's statistics appear under
 * {@code /train/<run-id>}, attached on first request from the run's {@code stats.dl4j}, or live from the training
 * process's own storage when the UI runs inside {@code oncobench run --ui}.
 */
public final class Dl4jTrainingUi implements AutoCloseable {
    private final Vertx vertx;
    private final VertxUIServer server;
    private final Map<String, StatsStorage> attached = new ConcurrentHashMap<>();
    private final java.util.Set<StatsStorage> opened = ConcurrentHashMap.newKeySet(); // storages on our copies, closed by us
    private final Path copies;

    private Dl4jTrainingUi(Vertx vertx, VertxUIServer server, Path copies) {
        this.vertx = vertx;
        this.server = server;
        this.copies = copies;
    }

    /** Starts DL4J's UI on {@code host:port} (0 = any free port). */
    public static Dl4jTrainingUi start(String host, int port) {
        // Vert.x logs through java.util.logging unless told otherwise; route it to SLF4J so logback keeps it quiet
        System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
        Vertx real = Vertx.vertx();
        try {
            Path copies = Files.createTempDirectory("oncobench-dl4j-ui");
            VertxUIServer.getMultiSession().set(true);
            VertxUIServer server = new VertxUIServer(); // DL4J's TrainModule finds it through VertxUIServer.getInstance()
            Vertx bound = (Vertx) Proxy.newProxyInstance(Dl4jTrainingUi.class.getClassLoader(), new Class<?>[]{VertxInternal.class},
                    new BindingVertx(real, host, port));
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
            throw new IllegalStateException("cannot start DL4J's training UI on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getPort();
    }

    /** Shows a storage that is being written in this process (live statistics of a running training). */
    public void attachLive(String runId, StatsStorage storage) {
        StatsStorage previous = attached.put(runId, storage);
        if (previous != null) {
            server.detach(previous);
        }
        server.attach(storage);
    }

    /**
     * The training in this process has ended and closed its storage: shows the run's finished {@code stats.dl4j}
     * instead.
     */
    public void trainingEnded(String runId, Path statsFile) {
        StatsStorage live = attached.remove(runId);
        if (live != null) {
            server.detach(live);
        }
        // the training closed its storage; the finished file is complete now
        attachFinished(runId, statsFile);
    }

    /**
     * Shows a finished run's {@code stats.dl4j} and returns its DL4J session ids (empty when the run recorded none).
     * The UI reads a copy: MapDB locks the file it opens, and the run's own file must stay free for
     * {@code oncobench resume}.
     */
    public synchronized List<String> attachFinished(String runId, Path statsFile) {
        StatsStorage storage = attached.get(runId);
        if (storage == null) {
            if (!Files.isRegularFile(statsFile)) {
                return List.of();
            }
            try {
                Path copy = copies.resolve(runId + "-" + System.nanoTime() + ".dl4j");
                Files.copy(statsFile, copy);
                storage = new FileStatsStorage(copy.toFile());
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException(statsFile + ": cannot be read by DL4J's UI (" + e.getMessage() + ")", e);
            }
            opened.add(storage);
            server.attach(storage);
            attached.put(runId, storage);
        }
        return storage.listSessionIDs();
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

    @Override
    public void close() {
        try {
            server.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            vertx.close();
            for (StatsStorage storage : opened) {
                try {
                    storage.close();
                } catch (IOException | RuntimeException e) {
                    // a copy in our temporary folder; deleted below
                }
            }
            opened.clear();
            attached.clear();
            try (var files = Files.list(copies)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
                Files.deleteIfExists(copies);
            } catch (IOException e) {
                // temporary copies only; the OS cleans its temp folder
            }
        }
    }

    /** Delegates to the real Vert.x except that new HTTP servers listen on the given host. */
    private record BindingVertx(Vertx real, String host, int port) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Object result = call(real, method, args);
            if (method.getName().equals("createHttpServer") && result instanceof HttpServer http) {
                return Proxy.newProxyInstance(Dl4jTrainingUi.class.getClassLoader(), new Class<?>[]{HttpServer.class}, new BindingServer(http, host, port));
            }
            return result;
        }
    }

    /** {@code listen(port, handler)} becomes {@code listen(port, host, handler)}; requests other than GET/HEAD get 405. */
    private record BindingServer(HttpServer real, String host, int port) implements InvocationHandler {
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
                    if (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD) {
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
