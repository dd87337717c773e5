package org.oncobench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.ui.HeadlessChromium;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The report of a small real run (the quickstart, two epochs, two baselines), as a colleague receives it: one HTML file
 * with no address outside it, real tables, the verdict, the drugs' names and targets from GDSC's drug table beside
 * the best baseline, and the provenance; opened in headless Chromium at 1400 px, every chart decodes, the page does not
 * scroll sideways, and a screenshot goes to {@code target/report-screenshots/report.png}.
 */
class ReportIT {
    static final Path SHOTS = Path.of("target/report-screenshots");
    @TempDir
    Path dir;

    @Test
    void aRunsReportIsASelfContainedPageWithDrugNamesVerdictAndProvenance() throws Exception {
        Path runs = dir.resolve("runs");
        RunCommandIT.Result r = RunCommandIT.cli("run", "experiments/quickstart.yaml", "--set", "training.epochs=2", "--set",
                "evaluation.baselines=[drug_mean, ridge]", "--runs-dir", runs.toString());
        assertEquals(0, r.code(), r.err());
        Path run = RunCommandIT.runFolders(runs).get(0);
        String html = Files.readString(run.resolve("report.html"));
        String md = Files.readString(run.resolve("report.md"));
        com.fasterxml.jackson.databind.JsonNode metrics = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.resolve("metrics.json").toFile());

        String text = html.replaceAll("data:image/png;base64,[A-Za-z0-9+/=]+", "data:");
        Matcher outside = Pattern.compile("(?i)(https?:|ftp:|file:|src=\"//|href=\"//|url\\(|@import|<script|<link|<iframe)").matcher(text);
        assertFalse(outside.find(), () -> "something outside the file: " + text.substring(Math.max(0, outside.start() - 80), outside.end() + 80));
        assertFalse(html.contains("---"), "a separator rendered as text");
        Matcher src = Pattern.compile("<img src=\"(.{0,22})").matcher(html);
        int images = 0;
        while (src.find()) {
            images++;
            assertEquals("data:image/png;base64,", src.group(1));
        }
        assertEquals(3, images, "predicted vs observed, per-drug Pearson, training curves");
        // the verdict, word for word as metrics.json has it, set apart
        String verdict = metrics.get("verdict").get("text").asText();
        assertTrue(html.contains("<p class=\"verdict ") && html.contains(verdict.substring(1)), verdict);
        // drugs named from datasets/synthetic/drugs.csv (DRUG_NAME, PUTATIVE_TARGET), beside the best baseline with intervals
        String best = metrics.get("best_baseline").asText();
        assertTrue(md.contains("| drug | name | target | n | model pearson | " + best + " pearson | model rmse | " + best + " rmse |"), md);
        assertTrue(Pattern.compile("\\| 9001 \\| Synthinib-001 \\| EGFR \\| [0-9]+ \\| -?[0-9.]+ \\[-?[0-9.]+, -?[0-9.]+\\] \\|").matcher(md).find(), md);
        assertTrue(Pattern.compile("<td>9001</td>\\s*<td>Synthinib-001</td>\\s*<td>EGFR</td>").matcher(html).find(), "drug names in the HTML table");
        assertTrue(md.contains("## Provenance") && md.contains("| seeds | seed 42, split seed 42 |"), md);

        assumeTrue(HeadlessChromium.find().isPresent(), "no Chromium: the page is not opened");
        try (HeadlessChromium browser = HeadlessChromium.launch(dir.resolve("chromium-profile"))) {
            browser.open(run.resolve("report.html").toUri().toString());
            browser.waitFor("[...document.images].every(i => i.complete)", 20);
            assertEquals(3, browser.eval("[...document.images].filter(i => i.naturalWidth > 500).length").asInt(), "charts decode");
            assertTrue(browser.eval("document.documentElement.scrollWidth <= window.innerWidth").asBoolean(), "the page scrolls sideways");
            assertTrue(browser.eval("getComputedStyle(document.querySelector('p.verdict')).borderLeftStyle === 'solid'").asBoolean());
            assertTrue(browser.eval("[...document.querySelectorAll('table')].every(t => t.tHead && [...t.tHead.rows[0].cells].every(c => c.textContent.trim()))")
                    .asBoolean(), "every table has a header row with names");
            browser.screenshot(SHOTS.resolve("report.png"));
        }
    }
}
