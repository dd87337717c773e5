package org.oncobench.ui;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.runs.RunFolder;
import org.oncobench.runs.RunStatus;
import org.oncobench.runs.RunStore;
import org.oncobench.runs.RunTags;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runs table in headless Chromium over hand-made run folders (no training): the overrides that tell runs apart, tags
 * (a click filters by one) and notes, a study's trials collapsed under one line, a damaged run picked by the status
 * filter, a misspelt field refused with a did-you-mean and an empty result counted ("0 of N runs match").
 * Screenshots: {@code target/ui-screenshots/runs-table-*.png}.
 */
class RunsTableUiIT {
    @TempDir
    Path dir;

    private static RunFolder completed(RunStore store, String name, double rmse, RunTags tags, Map<String, String> overrides) {
        RunFolder f = store.create(name, "h", "cell-blind", null, "mlp", tags, null, overrides);
        f.writeText("metrics.json", "{\"task\": \"regression\", \"test\": {\"rmse\": " + rmse + "}, \"best_baseline\": \"drug_mean\", "
                + "\"baselines\": {\"drug_mean\": {\"rmse\": 1.1}}}");
        f.finish(RunStatus.COMPLETED, null);
        return f;
    }

    private static Map<String, Object> trial(int trial, double dropout) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("model.dropout", dropout);
        p.put("trial", trial);
        p.put("seed", 1);
        return p;
    }

    @Test
    void runsTableShowsOverridesTagsStudiesAndFilterMistakes() throws Exception {
        RunStore store = new RunStore(dir.resolve("runs"));
        RunFolder tagged = completed(store, "a-rather-long-experiment-name-gdsc2-full", 0.81, RunTags.NONE,
                Map.of("training.epochs", "5"));
        store.annotate(tagged.id(), a -> a.tag(List.of("owner=ana", "paper=fig2")).withNote("first try with 5 epochs"));
        RunFolder plain = completed(store, "quickstart", 0.95, RunTags.NONE, null);
        String study = "20261122-100000-study-q-9f9f";
        completed(store, "study-q", 0.85, new RunTags(null, study, trial(0, 0.2)), Map.of("model.dropout", "0.2", "seed", "1"));
        completed(store, "study-q", 0.90, new RunTags(null, study, trial(1, 0.5)), Map.of("model.dropout", "0.5", "seed", "1"));
        Path damaged = Files.createDirectories(store.root().resolve("20261122-090000-broken-0000"));
        Files.writeString(damaged.resolve("run.json"), "{ not json");
        assertEquals(5, store.rebuild().indexed());

        Path shots = Path.of("target/ui-screenshots");
        try (WorkbenchServer server = WorkbenchServer.start(store, "127.0.0.1", 0);
             HeadlessChromium browser = HeadlessChromium.launch(dir.resolve("chromium"))) {
            browser.open(server.url());
            browser.waitFor("document.body.dataset.rows === '5'", 20);
            // the overrides column: a run's --set keys; a run without any shows none
            assertEquals("training.epochs=5", browser.eval("document.querySelector('tr[data-id=\"" + tagged.id() + "\"] td.overrides').innerText")
                    .asText().trim());
            assertEquals("", browser.eval("document.querySelector('tr[data-id=\"" + plain.id() + "\"] td.overrides').innerText").asText().trim());
            String tags = browser.eval("document.querySelector('tr[data-id=\"" + tagged.id() + "\"] td.tags').innerText").asText();
            assertTrue(tags.contains("owner=ana") && tags.contains("paper=fig2") && tags.contains("first try with 5 epochs"), tags);
            // the study's two trials: one line (best trial, parameters searched) until opened
            assertEquals(1, browser.eval("document.querySelectorAll('#runs tr.group.study').length").asInt());
            assertEquals(0, browser.eval("document.querySelectorAll('#runs tr.member').length").asInt());
            String studyLine = browser.eval("document.querySelector('#runs tr.study').innerText").asText();
            assertTrue(studyLine.contains(study) && studyLine.contains("2 trial runs") && studyLine.contains("RMSE 0.850 (best)")
                    && studyLine.contains("searched model.dropout"), studyLine);
            browser.click("#runs tr.study button.expand");
            browser.waitFor("document.querySelectorAll('#runs tr.member').length === 2", 10);
            String members = browser.eval("[...document.querySelectorAll('#runs tr.member td.overrides')].map(t => t.innerText).join('|')").asText();
            // both trials started within a second: their ids (and so their order) differ only by the random suffix
            assertEquals(java.util.Set.of("model.dropout=0.5 seed=1", "model.dropout=0.2 seed=1"), java.util.Set.of(members.split("\\|")));
            assertEquals("damaged", browser.eval("document.querySelector('tr[data-id=\"20261122-090000-broken-0000\"] .badge').innerText").asText());
            browser.screenshot(shots.resolve("runs-table-overrides.png"));

            // a tag chip filters by that tag
            browser.click("tr[data-id=\"" + tagged.id() + "\"] button.chip");
            browser.waitFor("document.body.dataset.rows === '1'", 10);
            assertEquals("tags.owner = 'ana'", browser.eval("document.getElementById('filter').value").asText());
            // the note is searched by a single word
            browser.type("#filter", "first");
            browser.waitFor("document.body.dataset.rows === '1' && document.querySelector('#runs tbody tr').dataset.id === '" + tagged.id() + "'", 10);

            // a misspelt field: the error names the nearest fields; an empty result is counted
            browser.type("#filter", "tags.ownr = ana");
            browser.waitFor("document.body.dataset.filterError === 'true'", 10);
            String error = browser.eval("document.getElementById('filter-error').innerText").asText();
            assertTrue(error.contains("unknown field 'tags.ownr'; did you mean tags.owner?"), error);
            browser.screenshot(shots.resolve("runs-table-did-you-mean.png"));
            browser.type("#filter", "test.rmse < 0.1");
            browser.waitFor("document.body.dataset.matched === '0' && !document.body.dataset.filterError", 10);
            assertEquals("0 of 5 runs match", browser.eval("document.getElementById('count').innerText").asText());

            // status: damaged is one of the choices
            browser.type("#filter", "");
            browser.eval("(() => { const s = document.getElementById('status'); s.value = 'damaged'; s.dispatchEvent(new Event('change')); return true; })()");
            browser.waitFor("document.body.dataset.rows === '1'", 10);
            assertEquals("20261122-090000-broken-0000", browser.eval("document.querySelector('#runs tbody tr').dataset.id").asText());
            browser.screenshot(shots.resolve("runs-table-damaged.png"));

            // the API: an unknown field is HTTP 400 with the nearest names, an empty result says so
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(server.url() + "api/runs?q=" + java.net.URLEncoder.encode(
                    "model.kindd = mlp", java.nio.charset.StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, bad.statusCode(), bad.body());
            assertTrue(bad.body().contains("did you mean model.kind?"), bad.body());
            HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(server.url() + "api/runs?q=" + java.net.URLEncoder.encode(
                    "test.rmse < 0.1", java.nio.charset.StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, none.statusCode());
            assertTrue(none.body().contains("\"matched\":0") && none.body().contains("\"message\":\"0 of 5 runs match\""), none.body());
        }
    }
}
