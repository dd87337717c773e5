package org.oncobench.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.oncobench.config.BadInputException;
import org.oncobench.http.AccessToken;
import org.oncobench.http.BindAddress;
import org.oncobench.http.TokenFilter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code oncobench serve BUNDLE}: a read-only JSON service over a bundle's {@link Predictor}, on the JDK's HTTP server
 * (module jdk.httpserver), bound to 127.0.0.1 unless told otherwise. {@code GET /health}, {@code GET /schema},
 * {@code POST /predict} with {@code {"instances": [{"sample": {"id": .., "<input>": {"GENE": value, ..},
 * "images": {"<input>": ["<base64 PNG>", ..]}}, "drug": {"id": .., "smiles": ..}}, ..]}}. A bad request gets a 4xx
 * with {@code {"error": .., "field": ..}} naming the field. The Open Inference Protocol's {@code /v2/...} endpoints
 * ({@link OpenInferenceProtocol}) share the limits, time-outs and error handling.
 */
public final class RestServer implements AutoCloseable {
    static final int MAX_BODY = 32 << 20;
    static final int MAX_INSTANCES = 10_000;
    /** NaN and Infinity literals parse (JSON has no such numbers), so the field check below can name where they are. */
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RestServer.class);
    private final HttpServer server;
    private final ExecutorService executor;
    private final Predictor predictor;
    private final Bundle bundle;
    private final OpenInferenceProtocol v2;

    /**
     * The server's own limits: how long one exchange may take from its first byte to its last (a client that sends its
     * request, or reads the answer, too slowly is cut off, so it cannot hold a worker), the largest body, and the most
     * instances per request.
     */
    public record Limits(int requestSeconds, int maxBodyBytes, int maxInstances) {
        public static final Limits DEFAULT = new Limits(DEFAULT_REQUEST_SECONDS, MAX_BODY, MAX_INSTANCES);

        public Limits withRequestSeconds(int seconds) {
            return new Limits(seconds, maxBodyBytes, maxInstances);
        }
    }

    /** Default limit on the time to receive a request and to send its response (seconds). */
    public static final int DEFAULT_REQUEST_SECONDS = 30;
    private final Limits limits;
    private final Map<String, com.sun.net.httpserver.HttpContext> contexts = new LinkedHashMap<>();
    private final java.util.concurrent.ScheduledExecutorService watchdog;

    public RestServer(Bundle bundle, String host, int port, int threads) throws IOException {
        this(bundle, host, port, threads, Limits.DEFAULT);
    }

    /**
     * A server with its own limits. No JVM-wide setting is changed; for the lowest latency on small answers, start the JVM
     * with {@code -Dsun.net.httpserver.nodelay=true} (the CLI sets it at start-up): without TCP_NODELAY, Nagle and delayed
     * ACKs add about 40 ms to a response.
     */
    public RestServer(Bundle bundle, String host, int port, int threads, Limits limits) throws IOException {
        this(bundle, BindAddress.of(host, port), threads, limits, null);
    }

    /**
     * A server at {@code bind}; with a token, every request must carry it as {@code Authorization: Bearer TOKEN} (else
     * 401). Beyond loopback a token is required: the rule follows the bind address, not the client's.
     */
    public RestServer(Bundle bundle, BindAddress bind, int threads, Limits limits, AccessToken token) throws IOException {
        if (token == null && !bind.loopback()) {
            throw new BadInputException("--host " + bind.host() + " is reachable from other machines: serve needs an access token there");
        }
        this.limits = limits;
        this.bundle = bundle;
        this.predictor = bundle.predictor();
        this.server = bind.bind(256);
        this.executor = Executors.newFixedThreadPool(threads);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "oncobench-serve-watchdog");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(this::withDeadline);
        context("/health", ex -> handle(ex, "GET", () -> {
            ObjectNode n = JSON.createObjectNode();
            n.put("status", "ok");
            n.put("model", bundle.modelCard().path("model").asText());
            return n;
        }));
        context("/schema", ex -> handle(ex, "GET", bundle::schema));
        context("/predict", ex -> handle(ex, "POST", () -> predict(readBody(ex))));
        context("/explain", ex -> handle(ex, "POST", () -> explain(readBody(ex))));
        // the Open Inference Protocol (KServe v2) beside the service's own API, with the same limits and error handling
        this.v2 = new OpenInferenceProtocol(bundle, predictor, JSON);
        context("/v2", ex -> {
            OpenInferenceProtocol.Route route = v2.route(ex.getRequestURI().getPath());
            if (route == null) {
                respond(ex, 404, error("no such endpoint " + ex.getRequestURI().getPath() + "; Open Inference Protocol endpoints: "
                        + OpenInferenceProtocol.endpoints() + ", with {name} = " + v2.modelName(), null));
                return;
            }
            handle(ex, route.method(), () -> route.answer().apply(route.method().equals("POST") ? readBody(ex) : null));
        });
        context("/", ex -> respond(ex, 404, error("no such endpoint " + ex.getRequestURI().getPath()
                + "; endpoints: GET /health, GET /schema, POST /predict, POST /explain, and the Open Inference Protocol's /v2/...", null)));
        if (token != null) {
            TokenFilter filter = new TokenFilter(token, false);
            contexts.values().forEach(c -> c.getFilters().add(filter));
        }
    }

    private void context(String path, com.sun.net.httpserver.HttpHandler handler) {
        contexts.put(path, server.createContext(path, handler));
    }

    public void start() {
        server.start();
    }

    /** The model's name in the Open Inference Protocol's paths ({@code /v2/models/{name}}). */
    public String modelName() {
        return v2.modelName();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        watchdog.shutdownNow();
    }

    /**
     * Runs one exchange (the JDK's server reads the request line, headers and body on this thread) on a worker, and
     * interrupts it when it is still running after {@code limits.requestSeconds}: the connection's channel is
     * interruptible, so a read or write blocked on a stalled client ends there and the worker is free again.
     */
    private void withDeadline(Runnable exchange) {
        executor.execute(() -> {
            Thread worker = Thread.currentThread();
            Object lock = new Object();
            boolean[] done = {false};
            java.util.concurrent.ScheduledFuture<?> deadline = watchdog.schedule(() -> {
                synchronized (lock) {
                    if (!done[0]) {
                        worker.interrupt();
                    }
                }
            }, limits.requestSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            try {
                exchange.run();
            } finally {
                synchronized (lock) {
                    done[0] = true;
                }
                deadline.cancel(false);
                Thread.interrupted(); // the next exchange on this worker starts uninterrupted
            }
        });
    }

    private interface Body {
        JsonNode get() throws IOException;
    }

    private void handle(HttpExchange ex, String method, Body body) throws IOException {
        try {
            if (!ex.getRequestMethod().equalsIgnoreCase(method)) {
                ex.getResponseHeaders().add("Allow", method);
                respond(ex, 405, error(ex.getRequestURI().getPath() + " takes " + method, null));
                return;
            }
            respond(ex, 200, body.get());
        } catch (InputFieldException e) {
            respond(ex, 400, error(e.getMessage(), "instances[" + e.request() + "]." + e.field()));
        } catch (RequestException e) {
            respond(ex, e.status, error(e.getMessage(), e.field));
        } catch (BadInputException e) {
            respond(ex, 400, error(e.getMessage(), null));
        } catch (RuntimeException e) {
            // the client learns nothing of the internals; the log has the details under the same reference
            String reference = Long.toHexString(System.nanoTime() ^ Thread.currentThread().getId()).toUpperCase(java.util.Locale.ROOT);
            LOG.error("internal error {} on {} {}", reference, ex.getRequestMethod(), ex.getRequestURI().getPath(), e);
            respond(ex, 500, error("internal error (reference " + reference + "); the server's log has the details", null));
        }
    }

    private JsonNode readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] bytes = in.readNBytes(limits.maxBodyBytes() + 1);
            if (bytes.length > limits.maxBodyBytes()) {
                throw new RequestException(413, "request body over " + (limits.maxBodyBytes() >> 20) + " MB; send fewer instances per request", null);
            }
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                throw new RequestException(400, "body is not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", null);
            }
        }
    }

    private JsonNode predict(JsonNode body) {
        return withRequests(body, limits.maxInstances(), "expected {\"instances\": [...]}", "", () -> { }, requests -> {
            ObjectNode out = JSON.createObjectNode();
            out.put("output", bundle.schema().path("output").asText());
            ArrayNode arr = out.putArray("predictions");
            for (Predictor.Prediction p : predictor.predict(requests)) {
                ObjectNode n = arr.addObject();
                n.put("sample", p.sample());
                if (p.drug() != null) {
                    n.put("drug", p.drug());
                }
                n.put("value", p.value());
                if (p.interval() != null) {
                    n.putArray("interval").add(p.interval()[0]).add(p.interval()[1]);
                    n.put("level", predictor.intervalLevel());
                }
                if (p.set() != null) {
                    ArrayNode set = n.putArray("set");
                    p.set().forEach(set::add);
                    n.put("level", predictor.intervalLevel());
                }
            }
            return out;
        });
    }

    /** Instances per /explain request: each costs 65 forward and backward passes. */
    static final int MAX_EXPLAIN_INSTANCES = 256;

    /**
     * {@code POST /explain}: the body of /predict plus an optional {@code "top": K} (default 10, at most 1000); answers each
     * prediction with its value, the value at the baseline (every input at its training mean) and the K features with
     * the largest integrated-gradient attributions (input, feature, raw value, attribution in the output's units).
     */
    private JsonNode explain(JsonNode body) {
        JsonNode topNode = body == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : body.path("top");
        int top = topNode.isMissingNode() ? 10 : topNode.asInt();
        Runnable checkTop = () -> {
            if (!topNode.isMissingNode() && (!topNode.canConvertToInt() || !topNode.isIntegralNumber() || topNode.asInt() < 1 || topNode.asInt() > 1000)) {
                throw new RequestException(400, "top must be a whole number from 1 to 1000", "top");
            }
        };
        return withRequests(body, MAX_EXPLAIN_INSTANCES, "expected {\"instances\": [...], \"top\": 10}", " for /explain", checkTop, requests -> {
            ObjectNode out = JSON.createObjectNode();
            out.put("output", bundle.schema().path("output").asText());
            out.put("method", "integrated gradients, " + Predictor.EXPLAIN_STEPS + " steps, baseline: every input at its training mean");
            ArrayNode arr = out.putArray("explanations");
            for (Predictor.Explanation e : predictor.explain(requests, top)) {
                ObjectNode n = arr.addObject();
                n.put("sample", e.sample());
                if (e.drug() != null) {
                    n.put("drug", e.drug());
                }
                n.put("value", e.value());
                n.put("baseline_value", e.baselineValue());
                n.put("completeness_error", e.completenessError());
                ArrayNode attributions = n.putArray("attributions");
                for (Predictor.Attribution a : e.top()) {
                    attributions.addObject().put("input", a.input()).put("feature", a.feature()).put("value", a.value()).put("attribution", a.attribution());
                }
            }
            return out;
        });
    }

    /**
     * The requests of a /predict or /explain body ({@code instances}, 1 to {@code max} of them; then the endpoint's own
     * {@code check}) handed to {@code answer}; image tiles sent inline are written to temporary files for it and deleted
     * afterwards, whatever happens.
     */
    private JsonNode withRequests(JsonNode body, int max, String expected, String where, Runnable check,
                                  java.util.function.Function<List<Predictor.Request>, JsonNode> answer) {
        if (body == null || !body.isObject() || !body.path("instances").isArray()) {
            throw new RequestException(400, expected, "instances");
        }
        JsonNode instances = body.path("instances");
        if (instances.isEmpty() || instances.size() > max) {
            throw new RequestException(400, "instances must hold 1 to " + max + " items" + where, "instances");
        }
        check.run();
        List<Path> temp = new ArrayList<>();
        try {
            List<Predictor.Request> requests = new ArrayList<>();
            for (int i = 0; i < instances.size(); i++) {
                requests.add(request(instances.get(i), i, temp));
            }
            return answer.apply(requests);
        } finally {
            for (Path p : temp) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a temp tile
                }
            }
        }
    }

    private Predictor.Request request(JsonNode instance, int i, List<Path> temp) {
        String at = "instances[" + i + "]";
        if (!instance.isObject()) {
            throw new RequestException(400, at + ": expected an object with sample and drug", at);
        }
        JsonNode s = instance.path("sample");
        if (!s.isObject()) {
            throw new RequestException(400, at + ".sample: expected an object {id, <input>: {GENE: value}}", at + ".sample");
        }
        String id = s.path("id").asText("instance-" + i);
        Map<String, Map<String, Double>> tables = new LinkedHashMap<>();
        Map<String, List<Path>> images = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = s.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getKey().equals("id")) {
                continue;
            }
            if (f.getKey().equals("group")) { // e.g. tissue: read by bundles whose network learned the residual over group_drug_mean
                if (!f.getValue().isTextual()) {
                    throw new RequestException(400, at + ".sample.group: expected a string (e.g. the tissue)", at + ".sample.group");
                }
                continue;
            }
            if (f.getKey().equals("images")) {
                f.getValue().fields().forEachRemaining(img -> images.put(img.getKey(), tiles(img.getValue(), at + ".sample.images." + img.getKey(), temp)));
                continue;
            }
            if (!f.getValue().isObject()) {
                throw new RequestException(400, at + ".sample." + f.getKey() + ": expected an object of gene to number", at + ".sample." + f.getKey());
            }
            Map<String, Double> values = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> genes = f.getValue().fields();
            while (genes.hasNext()) {
                Map.Entry<String, JsonNode> g = genes.next();
                String field = at + ".sample." + f.getKey() + "." + g.getKey();
                if (!g.getValue().isNumber()) {
                    throw new RequestException(400, field + ": " + g.getValue() + " is not a number", field);
                }
                double v = g.getValue().asDouble();
                if (!Double.isFinite(v) || Math.abs(v) > Float.MAX_VALUE) {
                    throw new RequestException(400, field + ": " + g.getValue().asText() + (Double.isFinite(v)
                            ? " is outside the range of the model's 32-bit floats (about ±3.4e38)" : " is not a finite number"), field);
                }
                values.put(g.getKey(), v);
            }
            tables.put(f.getKey(), values);
        }
        Predictor.Drug drug = null;
        JsonNode d = instance.path("drug");
        if (d.isObject()) {
            float[] fp = null;
            if (d.path("fingerprint").isArray()) {
                fp = new float[d.path("fingerprint").size()];
                for (int b = 0; b < fp.length; b++) {
                    double bit = d.path("fingerprint").get(b).asDouble();
                    if (!d.path("fingerprint").get(b).isNumber() || !Double.isFinite(bit)) {
                        String field = at + ".drug.fingerprint[" + b + "]";
                        throw new RequestException(400, field + ": " + d.path("fingerprint").get(b) + " is not a finite number", field);
                    }
                    fp[b] = (float) bit;
                }
            }
            drug = new Predictor.Drug(d.path("id").asText(null), d.path("smiles").asText(null), fp);
        } else if (!d.isMissingNode() && !d.isNull()) {
            throw new RequestException(400, at + ".drug: expected an object {id, smiles}", at + ".drug");
        }
        return new Predictor.Request(new Predictor.Sample(id, tables, images, s.path("group").asText(null)), drug);
    }

    private static List<Path> tiles(JsonNode node, String field, List<Path> temp) {
        if (!node.isArray()) {
            throw new RequestException(400, field + ": expected a list of base64-encoded PNG/JPEG tiles", field);
        }
        List<Path> out = new ArrayList<>();
        for (int k = 0; k < node.size(); k++) {
            try {
                byte[] bytes = Base64.getDecoder().decode(node.get(k).asText());
                Path tmp = Files.createTempFile("oncobench-tile", ".png");
                temp.add(tmp);
                Files.write(tmp, bytes);
                out.add(tmp);
            } catch (IllegalArgumentException e) {
                throw new RequestException(400, field + "[" + k + "]: not base64", field + "[" + k + "]");
            } catch (IOException e) {
                throw new RequestException(500, "cannot buffer an image tile", null);
            }
        }
        return out;
    }

    private static JsonNode error(String message, String field) {
        ObjectNode n = JSON.createObjectNode();
        n.put("error", message);
        if (field != null) {
            n.put("field", field);
        }
        return n;
    }

    private static void respond(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    /** A request the service refuses, with the HTTP status and the field at fault. */
    static final class RequestException extends RuntimeException {
        final int status;
        final String field;

        RequestException(int status, String message, String field) {
            super(message);
            this.status = status;
            this.field = field;
        }
    }

}
