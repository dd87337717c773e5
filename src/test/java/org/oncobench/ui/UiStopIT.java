package org.oncobench.ui;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.cli.RunCommandIT;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J's statistics pages keep copies of stats.dl4j: each copy goes when a newer one replaces it, and all of them
 * (with Vert.x's cache) when the UI stops at Ctrl-C, which ends without a stack trace. No browser needed.
 */
class UiStopIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    @TempDir
    Path dir;

    static List<Path> copies(Path tmp) throws Exception {
        try (Stream<Path> s = Files.walk(tmp)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".dl4j")).toList();
        }
    }

    @Test
    void copiesAreDeletedWhenReplacedAndAllOfThemAtCtrlC() throws Exception {
        assertEquals(0, RunCommandIT.cli("data", "synth", "--out", dir.resolve("data").toString(), "--cell-lines", "60", "--drugs", "6",
                "--genes", "80", "--seed", "3", "--tiles", "0").code());
        Path runs = dir.resolve("runs");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path yaml = UiIT.experimentIn(dir, "stop", "[32]", 100_000);
        // a run training in another process: the UI refreshes its copy every few seconds
        Path trainerLog = dir.resolve("trainer.log");
        Process trainer = UiIT.child(dir, trainerLog, List.of(), "run", yaml.toString(), "--runs-dir", runs.toString(), "--set",
                "training.checkpoint_every=1000");
        Path uiLog = dir.resolve("ui.log");
        Process ui = null;
        try {
            String running = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (running == null && System.nanoTime() < deadline) {
                for (Path r : RunCommandIT.runFolders(runs)) {
                    if (Files.exists(r.resolve("history.jsonl"))) {
                        running = r.getFileName().toString();
                    }
                }
                Thread.sleep(100);
            }
            assertTrue(running != null, "the trainer never finished an epoch:\n" + Files.readString(trainerLog));
            ui = UiIT.child(dir, uiLog, List.of("-Djava.io.tmpdir=" + tmp), "ui", "--runs-dir", runs.toString(), "--port", "0");
            String base = UiIT.awaitLog(ui, uiLog, Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+/)"));
            HttpResponse<String> redirect = HTTP.send(HttpRequest.newBuilder(URI.create(base + "dl4j/" + running)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(302, redirect.statusCode(), redirect.body());
            String overview = redirect.headers().firstValue("Location").orElseThrow();
            assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create(overview + "/data")).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode());
            // three refreshes later, one copy is left: each newer copy replaced (and deleted) the one before
            Thread.sleep(TimeUnit.SECONDS.toMillis(3L * Dl4jTrainingUi.REFRESH_SECONDS + 2));
            assertEquals(1, copies(tmp).size(), "copies on disk: " + copies(tmp));

            assertEquals(0, new ProcessBuilder("bash", "-c", "kill -INT " + ui.pid()).start().waitFor());
            assertTrue(ui.waitFor(60, TimeUnit.SECONDS), "the UI did not stop on Ctrl-C");
            String log = Files.readString(uiLog);
            assertFalse(log.contains("Exception") || log.contains("Error") || log.contains("\tat "), "Ctrl-C printed:\n" + log);
            assertEquals(List.of(), copies(tmp), "copies left after Ctrl-C");
            try (Stream<Path> s = Files.list(tmp)) {
                assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith("oncobench-dl4j-ui")).toList());
            }
        } finally {
            trainer.destroyForcibly();
            if (ui != null) {
                ui.destroyForcibly();
            }
        }
    }
}
