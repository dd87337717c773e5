package org.oncobench.bench;

import org.oncobench.runs.Json;
import org.oncobench.runs.RunStore;
import org.oncobench.ui.HeadlessChromium;
import org.oncobench.ui.WorkbenchServer;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The runs page at scale: a generator of N synthetic run folders (run.json and metrics.json as runs write them; names,
 * models, splits, statuses, studies and metrics varied), the index built from them, then {@code /api/runs} timed for
 * the default page, filter-language queries, a sort and a deep page, and — when Chromium is installed — the runs page's
 * paint time in a headless browser (navigation start to the first page of rows in the DOM) and a filter typed into it.
 */
public final class UiBenchmark {
    private static final String[] MODELS = {"mlp", "twin", "multimodal", "cnn"};
    private static final String[] SPLITS = {"cell-blind", "drug-blind", "mixed", "group-blind"};
    private static final String[] NAMES = {"gdsc-full", "gdsc-small", "quickstart", "ccle-cross", "study-quickstart", "multimodal"};
    private final Path workDir;
    private final Consumer<String> status;

    public UiBenchmark(Path workDir, Consumer<String> status) {
        this.workDir = workDir;
        this.status = status;
    }

    /** Writes {@code n} run folders (deterministic contents) under {@code dir}, unless it already holds them. */
    public static void generate(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < n; i++) {
            String name = NAMES[i % NAMES.length];
            String id = String.format(Locale.ROOT, "20261%03d-%06d-%s-%04x", 100 + i / 100_000 % 900, i % 1_000_000, name, i & 0xffff);
            Path run = dir.resolve(id);
            if (Files.isRegularFile(run.resolve("metrics.json"))) {
                continue;
            }
            Files.createDirectories(run);
            boolean failed = i % 37 == 0;
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("id", id);
            info.put("name", name);
            info.put("status", failed ? "failed" : "completed");
            info.put("started", String.format(Locale.ROOT, "2026-11-%02dT%02d:%02d:%02dZ", 1 + i % 28, i % 24, i % 60, i / 60 % 60));
            info.put("finished", String.format(Locale.ROOT, "2026-11-%02dT%02d:%02d:%02dZ", 1 + i % 28, i % 24, i % 60, (i / 60 + 30) % 60));
            info.put("pid", 1);
            info.put("config_hash", Integer.toHexString(i * 2_654_435_761L > 0 ? i : -i));
            info.put("split", SPLITS[i / 3 % SPLITS.length]);
            info.put("model", MODELS[i / 7 % MODELS.length]);
            info.put("error", failed ? "diverged at epoch 3" : null);
            info.put("group", null);
            if (i % 5 == 0) {
                info.put("study", "20261120-100000-study-" + (i / 1000));
                info.put("params", Map.of("model.dropout", (i % 9) / 20.0, "training.optimizer.lr", 0.001 * (1 + i % 4), "trial", i % 50));
            }
            Files.writeString(run.resolve("run.json"), Json.write(info));
            if (!failed) {
                double rmse = 0.7 + (i * 7919L % 600) / 1000.0;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("task", "regression");
                m.put("test", Map.of("n", 1297, "rmse", rmse, "pearson", 1.2 - rmse / 2));
                m.put("baselines", Map.of("ridge", Map.of("rmse", 0.88), "drug_mean", Map.of("rmse", 1.41)));
                m.put("best_baseline", "ridge");
                Files.writeString(run.resolve("metrics.json"), Json.write(m));
            }
        }
    }

    public Map<String, Object> run(int n) throws Exception {
        Path dir = workDir.resolve("ui-runs-" + n);
        long t0 = System.nanoTime();
        generate(dir, n);
        status.accept(String.format(Locale.ROOT, "ui: %d run folders in %s (%.1fs)", n, dir, (System.nanoTime() - t0) / 1e9));
        RunStore store = new RunStore(dir);
        t0 = System.nanoTime();
        int indexed = store.rebuild().indexed();
        double rebuildSeconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("runs", indexed);
        out.put("index_rebuild_seconds", rebuildSeconds);
        HttpClient http = HttpClient.newHttpClient();
        try (WorkbenchServer server = WorkbenchServer.start(store, "127.0.0.1", 0)) {
            String api = server.url() + "api/runs";
            Map<String, String> queries = new LinkedHashMap<>();
            queries.put("default page (100 newest)", "");
            queries.put("model.kind = mlp and test.rmse < 0.9 or name like 'gdsc%'", "q=" + enc("model.kind = mlp and test.rmse < 0.9 or name like 'gdsc%'"));
            queries.put("split.kind in (cell-blind, drug-blind)", "q=" + enc("split.kind in (cell-blind, drug-blind)"));
            queries.put("study trials with dropout >= 0.2, sorted by test RMSE", "q=" + enc("study like '%study%' and model.dropout >= 0.2") + "&sort=value&order=asc");
            queries.put("page at offset 5000, sorted by gain", "sort=gain&offset=5000");
            double first = timeGet(http, api);
            out.put("api_first_request_ms", first);
            Map<String, Object> timings = new LinkedHashMap<>();
            for (Map.Entry<String, String> q : queries.entrySet()) {
                String url = api + (q.getValue().isEmpty() ? "" : "?" + q.getValue());
                double[] ms = new double[30];
                for (int i = 0; i < ms.length; i++) {
                    ms[i] = timeGet(http, url);
                }
                Arrays.sort(ms);
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("median_ms", ms[ms.length / 2]);
                t.put("p95_ms", ms[(int) Math.ceil(ms.length * 0.95) - 1]);
                t.put("matched", Json.mapper().readTree(get(http, url)).path("matched").asInt());
                timings.put(q.getKey(), t);
                status.accept(String.format(Locale.ROOT, "ui: /api/runs %-62s median %6.1f ms, p95 %6.1f ms", q.getKey(), ms[ms.length / 2],
                        ms[(int) Math.ceil(ms.length * 0.95) - 1]));
            }
            out.put("api", timings);
            if (HeadlessChromium.find().isPresent()) {
                out.put("page", paint(server.url(), n));
            } else {
                out.put("page", "skipped: no Chromium installed (apt-get install chromium)");
            }
        }
        return out;
    }

    private Map<String, Object> paint(String url, int n) throws Exception {
        Path profile = Files.createTempDirectory(workDir, "chromium-");
        List<Long> paint = new ArrayList<>();
        List<Long> filter = new ArrayList<>();
        try (HeadlessChromium browser = HeadlessChromium.launch(profile)) {
            for (int i = 0; i < 6; i++) {
                browser.open(url + "?load=" + i);
                browser.waitFor("document.body.dataset.matched === '" + n + "'", 30);
                long ms = browser.eval("Number(document.body.dataset.renderedMs)").asLong();
                if (i > 0) { // the first load warms the browser's cache of the script and style sheet
                    paint.add(ms);
                }
                long t0 = System.nanoTime();
                browser.type("#filter", "model.kind = twin and test.rmse < 0.8");
                browser.waitFor("document.body.dataset.matched !== '" + n + "'", 30);
                if (i > 0) {
                    filter.add((System.nanoTime() - t0) / 1_000_000);
                }
            }
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("paint_ms", paint);
        p.put("paint_median_ms", paint.stream().sorted().toList().get(paint.size() / 2));
        p.put("filter_typed_to_rows_ms", filter);
        p.put("note", "navigation start to the first page of rows in the DOM (performance.now() when the table is drawn); the filter time "
                + "includes the page's 200 ms typing debounce");
        status.accept(String.format(Locale.ROOT, "ui: runs page painted in %s ms (median %s) with %d runs; filter typed to rows %s ms", paint,
                p.get("paint_median_ms"), n, filter));
        return p;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String get(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static double timeGet(HttpClient http, String url) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        get(http, url);
        return (System.nanoTime() - t0) / 1e6;
    }
}
