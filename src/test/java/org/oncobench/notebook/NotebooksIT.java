package org.oncobench.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.oncobench.api.Workbench;
import org.oncobench.ui.HeadlessChromium;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Executes every notebook under notebooks/ with Debian's nbconvert and the oncobench kernel (kernelspec and Jupyter's
 * folders under target/), then checks what they show; a failing cell must fail nbconvert. A screenshot of the
 * executed quickstart notebook, rendered in headless Chromium, goes to target/notebooks-it/.
 */
class NotebooksIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path JUPYTER = Path.of("/usr/bin/jupyter");
    static final Path WORK = Path.of("target/notebooks-it").toAbsolutePath();
    static final Path DATA = WORK.resolve("jupyter");
    static final Path OUT = WORK.resolve("executed");

    @BeforeAll
    static void kernel() throws IOException {
        assertTrue(Files.isExecutable(JUPYTER) && Files.isExecutable(Path.of("/usr/bin/jupyter-nbconvert")),
                "no Debian Jupyter: install it (apt-get install -y jupyter-nbconvert jupyter-notebook), as .ci/run does");
        Files.createDirectories(OUT);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OMP_NUM_THREADS", "1");
        env.put(Workbench.RUNS_DIR_ENV, WORK.resolve("runs").toString());
        KernelSpec.install(DATA, Path.of("").toAbsolutePath(), System.getProperty("java.class.path"), env, List.of("-Xmx3g"));
    }

    /** Runs nbconvert (to notebook, or to html) on one notebook; returns its exit code, output in a log file. */
    static int nbconvert(Path notebook, String to, Path outputDir, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(JUPYTER.toString(), "nbconvert", "--to", to, "--output-dir", outputDir.toString()));
        if (to.equals("notebook")) {
            cmd.addAll(List.of("--execute", "--ExecutePreprocessor.timeout=600"));
        }
        cmd.add(notebook.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("JUPYTER_PATH", DATA.toString());
        env.put("JUPYTER_DATA_DIR", DATA.toString());
        env.put("JUPYTER_CONFIG_DIR", DATA.resolve("config").toString());
        env.put("JUPYTER_RUNTIME_DIR", DATA.resolve("runtime").toString());
        Process p = pb.start();
        assertTrue(p.waitFor(15, TimeUnit.MINUTES), "nbconvert did not finish: " + notebook);
        return p.exitValue();
    }

    /** Output data of every code cell: (mime type or stream name) -> text, in order. */
    static List<Map.Entry<String, String>> outputs(Path executed) throws IOException {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (JsonNode cell : JSON.readTree(executed.toFile()).path("cells")) {
            for (JsonNode o : cell.path("outputs")) {
                if (o.has("data")) {
                    o.path("data").fields().forEachRemaining(e -> out.add(Map.entry(e.getKey(), text(e.getValue()))));
                } else {
                    out.add(Map.entry(o.path("output_type").asText() + ":" + o.path("name").asText(), text(o.path("text"))));
                }
            }
        }
        return out;
    }

    static String text(JsonNode n) {
        if (n.isArray()) {
            StringBuilder sb = new StringBuilder();
            n.forEach(x -> sb.append(x.asText()));
            return sb.toString();
        }
        return n.asText();
    }

    @Test
    void everyNotebookRunsAndShowsWhatItPromises() throws Exception {
        List<Path> notebooks;
        try (Stream<Path> s = Files.list(Path.of("notebooks"))) {
            notebooks = s.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
        assertTrue(notebooks.size() >= 4, "notebooks: " + notebooks);
        Map<String, List<Map.Entry<String, String>>> shown = new LinkedHashMap<>();
        for (Path nb : notebooks) {
            Path log = WORK.resolve(nb.getFileName() + ".log");
            long t0 = System.nanoTime();
            int code = nbconvert(nb.toAbsolutePath(), "notebook", OUT, log);
            System.out.printf("%s executed in %.0f s%n", nb.getFileName(), (System.nanoTime() - t0) / 1e9);
            assertEquals(0, code, nb + " failed:\n" + Files.readString(log));
            List<Map.Entry<String, String>> outs = outputs(OUT.resolve(nb.getFileName()));
            assertFalse(outs.stream().anyMatch(e -> e.getKey().startsWith("error")), nb + " has error output");
            shown.put(nb.getFileName().toString(), outs);
        }
        // 01: the metrics table with the model and ridge on the same test rows, and the charts inline
        List<Map.Entry<String, String>> quick = shown.get("01-quickstart.ipynb");
        assertTrue(quick.stream().anyMatch(e -> e.getKey().equals("text/html") && e.getValue().contains("<td>model (mlp)</td>")
                && e.getValue().contains("<td>ridge</td>") && e.getValue().contains("<th>rmse</th>")), "no metrics table in 01");
        assertTrue(quick.stream().filter(e -> e.getKey().equals("image/png")).count() >= 3, "01 shows its charts");
        assertTrue(quick.stream().anyMatch(e -> e.getKey().equals("text/plain") && e.getValue().contains("best baseline (")
                        && e.getValue().contains("95% intervals: bootstrap over")), "01 shows the run's summary: its intervals and verdict");
        // 02: the comparison's configuration differences name the two changed keys
        assertTrue(shown.get("02-compare-runs.ipynb").stream().anyMatch(e -> e.getKey().equals("text/html")
                && e.getValue().contains("<td>model.dropout</td>") && e.getValue().contains("<td>model.hidden</td>")), "02 config diff");
        // 03: the data inspection report and the per-tissue table
        assertTrue(shown.get("03-real-data.ipynb").stream().anyMatch(e -> e.getValue().contains("Rows: 6465 read, 6465 joined")), "03 inspect");
        // 04: the model card of the exported bundle, and predictions for the new cell line
        List<Map.Entry<String, String>> export = shown.get("04-export-and-predict.ipynb");
        assertTrue(export.stream().anyMatch(e -> e.getValue().contains("Not for clinical decisions")), "04 model card");
        assertTrue(export.stream().anyMatch(e -> e.getKey().equals("text/html") && e.getValue().contains("<th>value</th>")), "04 predictions");

        // the executed quickstart, rendered as a page in headless Chromium: the charts are inline images
        Path html = WORK.resolve("html");
        assertEquals(0, nbconvert(OUT.resolve("01-quickstart.ipynb"), "html", html, WORK.resolve("html.log")), Files.readString(WORK.resolve("html.log")));
        try (HeadlessChromium browser = HeadlessChromium.launch(Files.createTempDirectory(WORK, "chromium-profile"))) { // a fresh profile
            browser.open(html.resolve("01-quickstart.html").toUri().toString());
            browser.waitFor("document.querySelectorAll('img[src^=\"data:image/png\"]').length >= 3", 30);
            browser.screenshot(WORK.resolve("01-quickstart.png"));
        }
        assertTrue(Files.size(WORK.resolve("01-quickstart.png")) > 20_000, "screenshot of the rendered notebook");
    }

    @Test
    void notebookCommandServesTheNotebooksWithTheKernelOnLoopbackOnly() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path log = WORK.resolve("notebook-command.log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Doncobench.home=" + Path.of("").toAbsolutePath(), "-jar", Path.of("target/oncobench.jar").toAbsolutePath().toString(),
                "notebook", "--port", String.valueOf(port), "--runs-dir", WORK.resolve("command-runs").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String url = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (url == null && System.nanoTime() < deadline) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("on (http://127\\.0\\.0\\.1:" + port + "/\\S*)")
                        .matcher(Files.readString(log));
                if (m.find()) {
                    url = m.group(1);
                }
                assertTrue(p.isAlive(), "the command ended:\n" + Files.readString(log));
                Thread.sleep(200);
            }
            assertTrue(url != null, "no URL printed:\n" + Files.readString(log));
            String token = url.contains("token=") ? url.substring(url.indexOf("token=") + 6) : "";
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            String specs = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/kernelspecs?token="
                    + token)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            JsonNode oncobench = JSON.readTree(specs).path("kernelspecs").path(KernelSpec.NAME);
            assertEquals(KernelSpec.DISPLAY_NAME, oncobench.path("spec").path("display_name").asText(), specs);
            String contents = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/contents?token="
                    + token)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(contents.contains("01-quickstart.ipynb") && contents.contains("04-export-and-predict.ipynb"), contents);
            // only the loopback interface listens
            for (java.net.NetworkInterface nif : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
                for (java.net.InetAddress a : java.util.Collections.list(nif.getInetAddresses())) {
                    if (!a.isLoopbackAddress() && a instanceof java.net.Inet4Address) {
                        try (java.net.Socket s = new java.net.Socket()) {
                            s.connect(new java.net.InetSocketAddress(a, port), 1000);
                            throw new AssertionError("Jupyter answers on " + a);
                        } catch (IOException expected) {
                            // refused: good
                        }
                    }
                }
            }
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFailingCellFailsNbconvert() throws Exception {
        Path nb = WORK.resolve("failing.ipynb");
        Files.writeString(nb, """
                {"cells": [{"cell_type": "code", "id": "a1", "execution_count": null, "metadata": {}, "outputs": [],
                  "source": "int x = 1;\\nint y = x +;"}],
                 "metadata": {"kernelspec": {"name": "oncobench", "display_name": "Java (oncobench)", "language": "java"}},
                 "nbformat": 4, "nbformat_minor": 5}
                """);
        Path log = WORK.resolve("failing.log");
        assertNotEquals(0, nbconvert(nb, "notebook", WORK.resolve("failing-out"), log));
        assertTrue(Files.readString(log).contains("does not compile"), Files.readString(log));
    }

    @Test
    void committedNotebooksCarryNoOutputs() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("notebooks"))) {
            for (Path nb : s.filter(p -> p.toString().endsWith(".ipynb")).toList()) {
                for (JsonNode cell : JSON.readTree(nb.toFile()).path("cells")) {
                    if (cell.path("cell_type").asText().equals("code")) {
                        assertEquals(0, cell.path("outputs").size(), nb + ": outputs committed");
                        assertTrue(cell.path("execution_count").isNull(), nb + ": execution count committed");
                    }
                }
            }
        }
    }
}
