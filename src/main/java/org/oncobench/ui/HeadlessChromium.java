package org.oncobench.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Debian's {@code chromium}, headless, driven over the Chrome DevTools Protocol on a WebSocket (the JDK's client): open
 * a page, evaluate JavaScript in it, click, wait for a condition, save a screenshot. Offline and sandbox-free as CI needs.
 * The browser tests and the UI benchmark ({@code oncobench bench --cases ui}) drive the pages with it.
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final String session;

    private HeadlessChromium(Process process, WebSocket socket, Listener listener) throws Exception {
        this.process = process;
        this.socket = socket;
        listener.owner = this;
        String target = send(null, "Target.createTarget", Map.of("url", "about:blank")).path("targetId").asText();
        this.session = send(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true)).path("sessionId").asText();
        call("Page.enable", Map.of());
        call("Runtime.enable", Map.of());
        call("Emulation.setDeviceMetricsOverride", Map.of("width", 1400, "height", 1000, "deviceScaleFactor", 1, "mobile", false));
    }

    public static String executable() {
        return find().orElseThrow(() -> new IllegalStateException("no Chromium found: install Debian's chromium (apt-get install -y chromium), as .ci/run does"));
    }

    /** The browser, when one is installed (the UI benchmark's paint timing and the browser tests need it). */
    public static java.util.Optional<String> find() {
        return java.util.stream.Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
                .filter(c -> Files.isExecutable(Path.of(c))).findFirst();
    }

    public static HeadlessChromium launch(Path profile) throws Exception {
        Files.createDirectories(profile);
        Path portFile = profile.resolve("DevToolsActivePort");
        Files.deleteIfExists(portFile); // a reused profile's file names the port of a browser long gone
        Process p = new ProcessBuilder(executable(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> lines = List.of();
        while (System.nanoTime() < deadline && lines.size() < 2) {
            if (!p.isAlive()) {
                throw new AssertionError("chromium exited: " + Files.readString(profile.resolve("chromium.log")));
            }
            Thread.sleep(50);
            lines = Files.exists(portFile) ? Files.readAllLines(portFile) : List.of();
        }
        if (lines.size() < 2) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not open its DevTools port within 30 s");
        }
        Listener listener = new Listener();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim()), listener).get(30, TimeUnit.SECONDS);
        return new HeadlessChromium(p, ws, listener);
    }

    /** Opens a URL and waits for its load event. */
    public void open(String url) throws Exception {
        call("Page.navigate", Map.of("url", url));
        waitFor("document.readyState === 'complete' && location.href !== 'about:blank'", 20);
    }

    /** Evaluates an expression in the page (awaiting promises) and returns its JSON value. */
    public JsonNode eval(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new AssertionError("page script failed: " + expression + " -> " + r.path("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** Waits until a JavaScript condition holds in the page. */
    public void waitFor(String condition, int seconds) throws Exception {
        waitUntil(condition, seconds, JsonNode::asBoolean);
    }

    public JsonNode waitUntil(String expression, int seconds, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = eval(expression);
                if (done.test(last)) {
                    return last;
                }
            } catch (AssertionError e) {
                last = JSON.getNodeFactory().textNode(e.getMessage()); // page still loading
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not within " + seconds + " s: " + expression + " (last value " + last + ", page "
                + eval("location.href + ' ' + document.body.innerText.slice(0, 300)") + ")");
    }

    public void click(String selector) throws Exception {
        eval("document.querySelector(" + JSON.writeValueAsString(selector) + ").click(); true");
    }

    /** Types into an input and fires its input event, as a user's typing would. */
    public void type(String selector, String text) throws Exception {
        eval("(() => { const e = document.querySelector(" + JSON.writeValueAsString(selector) + "); e.value = " + JSON.writeValueAsString(text)
                + "; e.dispatchEvent(new Event('input', {bubbles: true})); return true; })()");
    }

    public String text() throws Exception {
        return eval("document.body.innerText").asText();
    }

    public void screenshot(Path file) throws Exception {
        JsonNode r = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(r.path("data").asText()));
    }

    private JsonNode call(String method, Map<String, Object> params) throws Exception {
        return send(session, method, params);
    }

    private JsonNode send(String sessionId, String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode();
        msg.put("id", id);
        msg.put("method", method);
        msg.set("params", JSON.valueToTree(params));
        if (sessionId != null) {
            msg.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        synchronized (socket) {
            socket.sendText(JSON.writeValueAsString(msg), true).get(30, TimeUnit.SECONDS);
        }
        JsonNode r = reply.get(60, TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new AssertionError(method + " failed: " + r.path("error"));
        }
        return r.path("result");
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        } catch (RuntimeException e) {
            // the browser is going away anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Reassembles text frames and completes the matching request. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder buffer = new StringBuilder();
        private final List<String> events = new ArrayList<>();
        HeadlessChromium owner;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                String text = buffer.toString();
                buffer.setLength(0);
                try {
                    JsonNode msg = JSON.readTree(text);
                    if (msg.has("id") && owner != null) {
                        CompletableFuture<JsonNode> f = owner.pending.remove(msg.path("id").asInt());
                        if (f != null) {
                            f.complete(msg);
                        }
                    } else if (events.size() < 1000) {
                        events.add(msg.path("method").asText());
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("DevTools sent something that is not JSON", e);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
