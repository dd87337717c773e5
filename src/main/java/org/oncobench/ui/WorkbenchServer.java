package org.oncobench.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.deeplearning4j.core.storage.StatsStorage;
import org.oncobench.config.BadInputException;
import org.oncobench.http.AccessToken;
import org.oncobench.http.BindAddress;
import org.oncobench.http.TokenFilter;
import org.oncobench.runs.RunRecords;
import org.oncobench.runs.RunStatus;
import org.oncobench.runs.RunStore;
import org.oncobench.train.StatsObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The workbench: read-only pages over a runs folder on the JDK's HTTP server, next to DL4J's own training UI.
 * <pre>
 * GET /                      runs table (sort, filter, select to compare)
 * GET /runs/RUN_ID           one run: configuration, provenance, curves, predicted vs observed, per-drug/per-tissue
 * GET /compare?ids=A,B,..    validation curves overlaid, metric differences, configuration differences
 * GET /studies, /studies/ID  studies; one study's leaderboard, best per model kind beside the baselines, CD diagram,
 *                            parallel coordinates of its parameters against the validation metric
 * GET /api/studies, /api/studies/ID                     the same as JSON
 * GET /dl4j/RUN_ID           DL4J's statistics view of the run (redirect to DL4J's UI; live while it trains)
 * GET /api/runs?q=FILTER&amp;status=S&amp;sort=FIELD&amp;order=asc|desc&amp;offset=N&amp;limit=N   one page of runs from the index
 * GET /api/runs/RUN_ID, /api/compare?ids=A,B   the same data as JSON
 * GET /assets/...            the pages' script, style sheet and Chart.js (from the jar; nothing from the internet)
 * </pre>
 * Anything but GET/HEAD gets 405; run ids that are not runs of this folder (e.g. {@code ..%2F..}) get 404.
 */
public final class WorkbenchServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkbenchServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHART_JS = "META-INF/resources/webjars/chart.js/4.4.1/dist/chart.umd.js";
    private static final Map<String, String> ASSETS = Map.of(
            "/assets/chart.umd.js", CHART_JS,
            "/assets/app.js", "org/oncobench/ui/app.js",
            "/assets/app.css", "org/oncobench/ui/app.css");
    private final HttpServer server;
    private final ExecutorService executor;
    private final RunStore store;
    private final RunViews views;
    private final Dl4jTrainingUi dl4j;

    private WorkbenchServer(HttpServer server, ExecutorService executor, RunStore store, Dl4jTrainingUi dl4j) {
        this.server = server;
        this.executor = executor;
        this.store = store;
        this.views = new RunViews(store);
        this.dl4j = dl4j;
    }

    /**
     * Serves the runs folder on {@code host:port} (0 = any free port), with DL4J's training UI on another free port of
     * the same host. Loopback only: beyond it, {@link #start(RunStore, BindAddress, AccessToken)} with a token.
     */
    public static WorkbenchServer start(RunStore store, String host, int port) {
        return start(store, BindAddress.of(host, port), null);
    }

    /**
     * Serves the runs folder at {@code bind}; with a token, every request to the pages and to DL4J's UI must carry it
     * (required when the address is beyond loopback: the rule follows the bind address, not the client's).
     */
    public static WorkbenchServer start(RunStore store, BindAddress bind, AccessToken token) {
        if (token == null && !bind.loopback()) {
            throw new BadInputException("--host " + bind.host() + " is reachable from other machines: the UI needs an access token there");
        }
        HttpServer http = bind.bind(64);
        Dl4jTrainingUi dl4j;
        try {
            dl4j = Dl4jTrainingUi.start(bind.host(), 0, token);
        } catch (RuntimeException e) {
            http.stop(0); // created means bound: release the port
            throw e;
        }
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "oncobench-ui");
            t.setDaemon(true);
            return t;
        });
        WorkbenchServer w = new WorkbenchServer(http, executor, store, dl4j);
        http.setExecutor(executor);
        com.sun.net.httpserver.HttpContext pages = http.createContext("/", w::handle);
        if (token != null) {
            pages.getFilters().add(new TokenFilter(token, true));
        }
        http.start();
        executor.submit(w.views::warm); // read the run index now, so the first runs page does not wait for it (1.5 s at 10,000 runs)
        return w;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The address to open in a browser: the bound host, or 127.0.0.1 when bound to every interface. */
    public String url() {
        java.net.InetAddress address = server.getAddress().getAddress();
        String host = address.isAnyLocalAddress() ? "127.0.0.1" : address.getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/";
    }

    /** DL4J's training UI beside the pages (to show a training of this process live). */
    public Dl4jTrainingUi dl4j() {
        return dl4j;
    }

    /**
     * Shows trainings of this process live in DL4J's UI, from the moment their storage opens until just before it
     * closes, and tells {@code announce} each run's page.
     */
    public StatsObserver liveTraining(Consumer<String> announce) {
        return new StatsObserver() {
            @Override
            public void opened(String runId, StatsStorage storage) {
                dl4j.attachLive(runId, storage);
                announce.accept(url() + "runs/" + runId);
            }

            @Override
            public void closing(String runId, StatsStorage storage) {
                dl4j.detachLive(runId, storage);
            }
        };
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        dl4j.close();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, "text/plain", "read-only: only GET and HEAD are served\n");
                return;
            }
            String path = ex.getRequestURI().getRawPath();
            try {
                route(ex, path);
            } catch (BadInputException e) { // a run id that is not a run of this folder, or a run folder being written
                error(ex, path, 404, e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("{} {} failed", method, path, e);
                send(ex, 500, "text/plain", "internal error: " + e.getMessage() + "\n");
            }
        }
    }

    private void route(HttpExchange ex, String path) throws IOException {
        if (path.equals("/") || path.equals("/index.html")) {
            page(ex, "index.html");
        } else if (path.startsWith("/runs/") && path.indexOf("/files/") > "/runs/".length()) {
            artifact(ex, path);
        } else if (path.startsWith("/runs/")) {
            String ref = decode(path.substring("/runs/".length()));
            String id = store.resolve(ref);
            if (!id.equals(ref)) { // a prefix or 'latest': the page's address becomes the run's own
                ex.getResponseHeaders().set("Location", "/runs/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
                send(ex, 302, "text/plain", "");
                return;
            }
            page(ex, "run.html");
        } else if (path.equals("/compare")) {
            page(ex, "compare.html");
        } else if (path.equals("/studies")) {
            page(ex, "studies.html");
        } else if (path.startsWith("/studies/")) {
            org.oncobench.study.StudyFolder.open(store, decode(path.substring("/studies/".length())));
            page(ex, "study.html");
        } else if (path.equals("/api/studies")) {
            json(ex, views.studies());
        } else if (path.startsWith("/api/studies/")) {
            json(ex, views.study(decode(path.substring("/api/studies/".length()))));
        } else if (path.equals("/api/runs")) {
            try {
                json(ex, views.runs(query(ex, "q"), query(ex, "status"), query(ex, "sort"), !"asc".equals(query(ex, "order")),
                        integer(query(ex, "offset"), 0, "offset"), integer(query(ex, "limit"), RunViews.PAGE, "limit")));
            } catch (BadInputException e) { // a filter with a syntax error, an unknown sort field: the user's to fix
                error(ex, path, 400, e.getMessage());
            }
        } else if (path.startsWith("/api/runs/")) {
            json(ex, views.run(store.resolve(decode(path.substring("/api/runs/".length())))));
        } else if (path.equals("/api/compare")) {
            List<String> ids = ids(ex);
            if (ids.size() < 2) {
                error(ex, path, 400, "compare needs at least two run ids: /api/compare?ids=A,B");
                return;
            }
            json(ex, views.compare(ids.stream().map(store::resolve).toList()));
        } else if (path.startsWith("/dl4j/")) {
            dl4jView(ex, store.resolve(decode(path.substring("/dl4j/".length()))));
        } else if (ASSETS.containsKey(path)) {
            asset(ex, ASSETS.get(path), path.endsWith(".css") ? "text/css" : "text/javascript");
        } else {
            send(ex, 404, "text/plain", "no page " + path + "; pages: /, /runs/RUN_ID, /runs/RUN_ID/files/NAME, /compare?ids=A,B, /studies, /studies/ID, /api/runs\n");
        }
    }

    /**
     * {@code /runs/RUN/files/NAME}: one of the run's files ({@link RunArtifacts}) as a download, named after the run
     * ({@code RUN-NAME}); {@code ?view=1} shows report.html in the browser instead, with a policy that lets its
     * embedded charts and styles in and nothing else. RUN is checked like every run id (a run of this folder; a prefix
     * or 'latest' resolves); NAME must be one of the list: anything else, a path or an escape, is a 404.
     */
    private void artifact(HttpExchange ex, String path) throws IOException {
        String rest = path.substring("/runs/".length());
        int at = rest.indexOf("/files/");
        String id = store.resolve(decode(rest.substring(0, at)));
        String name = decode(rest.substring(at + "/files/".length()));
        Path dir = store.dirOf(id);
        java.util.Optional<RunArtifacts.Artifact> found = RunArtifacts.find(dir, name);
        if (found.isEmpty()) {
            List<String> there = RunArtifacts.of(dir).stream().map(RunArtifacts.Artifact::name).toList();
            send(ex, 404, "text/plain", "run " + id + " has no file '" + name + "' to download; it has: " + String.join(", ", there) + "\n");
            return;
        }
        RunArtifacts.Artifact a = found.get();
        boolean view = "report.html".equals(a.name()) && "1".equals(query(ex, "view"));
        ex.getResponseHeaders().set("Content-Type", RunArtifacts.contentType(a));
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; img-src data:; style-src 'unsafe-inline'");
        ex.getResponseHeaders().set("Content-Disposition", (view ? "inline" : "attachment") + "; filename=\"" + id + "-" + a.name() + "\"");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(200, head || a.bytes() == 0 ? -1 : a.bytes());
        if (!head && a.bytes() > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                java.nio.file.Files.copy(a.file(), out);
            }
        }
    }

    /** Redirects to DL4J's UI for the run's statistics, or explains why they are not available yet. */
    private void dl4jView(HttpExchange ex, String id) throws IOException {
        Path dir = store.dirOf(id);
        String session = query(ex, "session");
        List<String> sessions;
        if (dl4j.isLive(id)) {
            sessions = dl4j.sessions(id);
        } else {
            try {
                sessions = dl4j.attachFile(id, dir.resolve("stats.dl4j"), () -> RunRecords.read(dir).map(RunRecords::effective)
                        .map(r -> RunStatus.RUNNING.label().equals(r.status())).orElse(false));
            } catch (IllegalStateException e) {
                send(ex, 503, "text/html", message("DL4J statistics of run " + id + " are not readable right now",
                        esc(e.getMessage()) + ". A run being written may be caught mid-update: reload in a few seconds. "
                                + "<a href=\"/runs/" + id + "\">Back to the run</a>."));
                return;
            }
        }
        if (sessions.isEmpty()) {
            send(ex, 404, "text/html", message("No DL4J statistics for run " + id,
                    "The run recorded no <code>stats.dl4j</code> (or it holds no session yet). <a href=\"/runs/" + id + "\">Back to the run</a>."));
            return;
        }
        String target = session != null && sessions.contains(session) ? session : sessions.stream().sorted().findFirst().orElseThrow();
        String host = hostOf(ex);
        ex.getResponseHeaders().set("Location", "http://" + host + ":" + dl4j.port() + "/train/" + URLEncoder.encode(target, StandardCharsets.UTF_8)
                + "/overview");
        send(ex, 302, "text/plain", "");
    }

    /** The host name the browser used (so the redirect works through whatever name reached us). */
    private String hostOf(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Host");
        if (header == null || header.isBlank()) {
            return server.getAddress().getAddress().getHostAddress();
        }
        int colon = header.startsWith("[") ? header.indexOf(':', header.indexOf(']')) : header.lastIndexOf(':');
        return colon > 0 ? header.substring(0, colon) : header;
    }

    private static void error(HttpExchange ex, String path, int code, String message) throws IOException {
        if (path.startsWith("/api/")) {
            send(ex, code, "application/json", JSON.writeValueAsString(Map.of("error", String.valueOf(message))));
        } else {
            send(ex, code, "text/plain", message + "\n");
        }
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String message(String title, String html) {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + title + "</title><link rel=\"stylesheet\" href=\"/assets/app.css\">"
                + "</head><body><header><a href=\"/\" class=\"brand\">oncobench</a></header><main><h1>" + title + "</h1><p>" + html
                + "</p></main></body></html>";
    }

    private static List<String> ids(HttpExchange ex) {
        String ids = query(ex, "ids");
        return ids == null ? List.of() : Arrays.stream(ids.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }

    private static String query(HttpExchange ex, String key) {
        String q = ex.getRequestURI().getRawQuery();
        if (q == null) {
            return null;
        }
        for (String part : q.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0 && decode(part.substring(0, eq)).equals(key)) {
                return decode(part.substring(eq + 1));
            }
        }
        return null;
    }

    private static int integer(String value, int otherwise, String name) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new BadInputException(name + " must be a whole number, not '" + value + "'");
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private void page(HttpExchange ex, String name) throws IOException {
        asset(ex, "org/oncobench/ui/" + name, "text/html");
    }

    private void asset(HttpExchange ex, String resource, String type) throws IOException {
        try (InputStream in = WorkbenchServer.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + resource);
            }
            ex.getResponseHeaders().set("Cache-Control", resource.startsWith("META-INF") ? "max-age=86400" : "no-cache");
            send(ex, 200, type, in.readAllBytes());
        }
    }

    private void json(HttpExchange ex, JsonNode node) throws IOException {
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        send(ex, 200, "application/json", JSON.writeValueAsBytes(node));
    }

    private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
        send(ex, code, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int code, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(code, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
