package org.oncobench.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.data.DrugAnnotations;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * report.md and report.html of a small regression run built in memory: tables as tables (a right-aligned separator is
 * not a data row, no empty header row), charts embedded, nothing fetched from outside the file, the verdict set apart,
 * drug names and targets beside each drug with the best baseline and intervals, and the provenance at the end.
 */
class RunReportTest {
    @TempDir
    Path dir;

    /** A report part whose table has right-aligned columns, as the fairness section's has. */
    record AlignedPart() implements ReportPart {
        @Override
        public String section() {
            return "\n## Aligned\n\n| tissue | rows | samples |\n|---|---:|---:|\n| Lung | 40 | 4 |\n| Skin | 30 | 3 |\n";
        }

        @Override
        public String summaryLine() {
            return "\n**Verdict:** The model beats the best baseline (drug_mean).\n";
        }
    }

    static RunReport.Content content(Path dir) throws Exception {
        Random r = new Random(7);
        int n = 120;
        double[] observed = new double[n];
        double[] predicted = new double[n];
        double[] baseline = new double[n];
        String[] drug = new String[n];
        String[] sample = new String[n];
        for (int i = 0; i < n; i++) {
            observed[i] = r.nextGaussian();
            predicted[i] = observed[i] + 0.5 * r.nextGaussian();
            baseline[i] = observed[i] + 0.8 * r.nextGaussian();
            drug[i] = i % 2 == 0 ? "1001" : "1002";
            sample[i] = "s" + (i / 2);
        }
        EvaluationReport report = new EvaluationReport(Scores.of(false, observed, predicted), Map.of("drug_mean", Scores.of(false, observed, baseline)),
                GroupedMetrics.of(drug, observed, predicted, false), Map.of("drug_mean", GroupedMetrics.of(drug, observed, baseline, false)), Map.of());
        Significance sig = Significance.of(observed, predicted, Map.of("drug_mean", baseline), sample, "test cell lines", false, report.perDrug(),
                report.perDrugBaselines(), 200, 1);
        GroupComparison perDrug = GroupComparison.of(drug, sample, observed, predicted, "drug_mean", baseline, false, 200, 1);
        Verdict verdict = Verdict.of(report, sig);
        DrugAnnotations drugs = new DrugAnnotations(Map.of("1001", new DrugAnnotations.Drug("Erlotinib", "EGFR")));
        Files.writeString(dir.resolve("provenance.json"), "{\"git\": {\"commit\": \"abc123\", \"dirty\": false}, \"seed\": 42, \"split_seed\": 42,"
                + " \"inputs\": {\"/data/drugs.csv\": \"ffee\"}}");
        return new RunReport.Content("20261203-000000-t-abcd", "t", "regression", "LN_IC50", "cell-blind", "mlp", report, observed, predicted,
                new double[]{0.9, 0.5, 0.4}, new double[]{1.1, 1.0, 0.95}, "RMSE", null, List.of(new AlignedPart()),
                new RunReport.Details(verdict, sig, perDrug, Map.of(), drugs));
    }

    @Test
    void theHtmlIsSelfContainedWithRealTables() throws Exception {
        RunReport.Content c = content(dir);
        RunReport.write(dir, c);
        String html = Files.readString(dir.resolve("report.html"));
        // a right-aligned separator is the table's alignment, not a row of "---:" cells
        assertFalse(html.contains("---:"), "separator rendered as a data row");
        assertTrue(html.contains("<td align=\"right\">40</td>"), html);
        // no table starts with an empty header row: every header cell names its column
        Matcher th = Pattern.compile("<th[^>]*>(.*?)</th>").matcher(html);
        int headers = 0;
        while (th.find()) {
            headers++;
            assertFalse(th.group(1).isBlank(), "an empty header cell");
        }
        assertTrue(headers > 10, "headers " + headers);
        // charts inline, nothing from outside the file
        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("url("), "an external address");
        Matcher img = Pattern.compile("<img src=\"([^\"]{0,40})").matcher(html);
        int images = 0;
        while (img.find()) {
            images++;
            assertTrue(img.group(1).startsWith("data:image/png;base64,"), img.group(1));
        }
        assertEquals(3, images, "predicted vs observed, per-drug Pearson, training curves");
        // the verdict is set apart, coloured by its outcome
        assertEquals("beats", c.details().verdict().outcome());
        assertTrue(html.contains("<p class=\"verdict beats\"><strong>Verdict:</strong>"), html.substring(0, Math.min(html.length(), 3000)));
    }

    @Test
    void theMarkdownNamesDrugsBesideTheBestBaselineWithIntervalsAndEndsWithProvenance() throws Exception {
        RunReport.write(dir, content(dir));
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.startsWith("# t: run 20261203-000000-t-abcd\n\n| setting | value |\n|---|---|\n| experiment | t |"), md);
        assertTrue(md.contains("| drug | name | target | n | model pearson | drug_mean pearson | model rmse | drug_mean rmse |"), md);
        // drug 1001 is named; 1002 is not in the annotations
        assertTrue(Pattern.compile("\\| 1001 \\| Erlotinib \\| EGFR \\| 60 \\| [0-9.]+ \\[[0-9.]+, [0-9.]+\\] \\|").matcher(md).find(), md);
        assertTrue(md.contains("| 1002 | - | - | 60 | "), md);
        // the headline table: the model's RMSE with its bootstrap interval
        Significance.Interval rmse = content(dir).details().significance().intervals().get("model").get("rmse");
        assertTrue(md.contains("| model | 120 | " + rmse.format() + " | "), md);
        assertTrue(md.indexOf("**Verdict:**") < md.indexOf("## Test metrics"), "the verdict comes first");
        assertTrue(md.endsWith("| input drugs.csv | sha256 ffee (/data/drugs.csv) |\n"), md);
        assertTrue(md.contains("| code | git abc123 (clean) |"), md);
    }

    @Test
    void groupComparisonIntervalsHoldTheirEstimatesAndAreDeterministic() throws Exception {
        RunReport.Content c = content(dir);
        GroupComparison g = c.details().perDrug();
        assertEquals(List.of("1001", "1002"), List.copyOf(g.groups().keySet()));
        for (GroupComparison.Row row : g.groups().values()) {
            for (String m : g.metrics()) {
                Significance.Interval i = row.model().get(m);
                assertTrue(i.low() <= i.estimate() && i.estimate() <= i.high(), m + " " + i);
            }
        }
        GroupComparison twice = content(dir).details().perDrug();
        assertEquals(g.groups().get("1001").model(), twice.groups().get("1001").model());
        assertEquals(g.groups().get("1002").difference(), twice.groups().get("1002").difference());
    }
}
