package org.oncobench.train;

import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.eval.WilcoxonSignedRank;
import org.oncobench.runs.RunFolder;
import org.oncobench.runs.RunStatus;
import org.oncobench.runs.RunStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunPairedTestTest {
    @TempDir
    Path dir;

    /** A completed run whose predictions.csv has {@code drugs} drugs x 4 rows (drug 0 has 2: too few), predicted = observed + noise(shift). */
    private String run(RunStore store, int drugs, double shift, double observedOffset, int minRows) {
        RunFolder f = store.create("r", "h", "cell-blind", "mlp");
        StringBuilder csv = new StringBuilder("sample,drug,observed,predicted,fold,repeat\n");
        for (int d = 0; d < drugs; d++) {
            for (int s = 0; s < (d == 0 ? 2 : 4); s++) {
                double observed = d + s * 0.5 + observedOffset;
                double predicted = observed + Math.sin(d * 7 + s * 3 + shift) * (0.2 + 0.1 * d);
                csv.append(String.format(Locale.ROOT, "s%d,d%d,%.6f,%.6f,1,1%n", s, d, observed, predicted));
            }
        }
        f.writeText("predictions.csv", csv.toString());
        f.writeText("experiment.yaml", "evaluation: {significance: {min_rows_per_drug: " + minRows + "}}\n");
        f.writeText("metrics.json", "{\"task\": \"regression\", \"test\": {\"rmse\": 1.0}}");
        f.finish(RunStatus.COMPLETED, null);
        return f.id();
    }

    private static double pearson(Path csv, String drug) throws Exception {
        double[][] rows = Files.readAllLines(csv).stream().skip(1).map(l -> l.split(",")).filter(f -> f[1].equals(drug))
                .map(f -> new double[]{Double.parseDouble(f[2]), Double.parseDouble(f[3])}).toArray(double[][]::new);
        double[] o = new double[rows.length];
        double[] p = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            o[i] = rows[i][0];
            p[i] = rows[i][1];
        }
        return new PearsonsCorrelation().correlation(o, p);
    }

    @Test
    void sameRowsArePairedPerDrugWithTheMinimumRowsRule() throws Exception {
        RunStore store = new RunStore(dir);
        String a = run(store, 8, 0, 0, 3);
        String b = run(store, 8, 1.3, 0, 3);
        RunPairedTest t = RunPairedTest.of(store, a, b);
        assertNull(t.skipped());
        assertEquals("pearson", t.metric());
        assertEquals(3, t.minRowsPerDrug());
        assertEquals(7, t.drugs(), "drug d0 has 2 rows, fewer than min_rows_per_drug 3");
        assertEquals(1, t.tooFewRows());
        double[] d = new double[7];
        for (int i = 1; i < 8; i++) {
            d[i - 1] = pearson(dir.resolve(b).resolve("predictions.csv"), "d" + i) - pearson(dir.resolve(a).resolve("predictions.csv"), "d" + i);
        }
        WilcoxonSignedRank expected = WilcoxonSignedRank.test(d);
        assertEquals(expected.statistic(), t.wilcoxon().statistic(), 1e-9);
        assertEquals(expected.p(), t.wilcoxon().p(), 1e-12);
        assertEquals(java.util.Arrays.stream(d).filter(x -> x > 0).count(), (long) t.bBetter());
        assertTrue(t.describe().startsWith("wilcoxon signed-rank over drugs, two-sided, on per-drug pearson: 7 drugs with at least 3 test rows "
                + "(1 left out: too few rows)"), t.describe());
    }

    @Test
    void otherRowsOrValuesOrTooFewDrugsSayWhyNoTestIsRun() {
        RunStore store = new RunStore(dir);
        String a = run(store, 8, 0, 0, 3);
        String fewer = run(store, 7, 0, 0, 3);
        String otherTarget = run(store, 8, 0, 0.25, 3);
        assertTrue(RunPairedTest.of(store, a, fewer).skipped().contains("not tested on the same rows (" + a + " has 30 test rows, " + fewer
                + " 26; 4 only in the first (e.g. s0/d7), 0 only in the second)"), RunPairedTest.of(store, a, fewer).skipped());
        assertTrue(RunPairedTest.of(store, a, otherTarget).skipped().contains("the observed value of s0/d0 differs"),
                RunPairedTest.of(store, a, otherTarget).skipped());
        String strict = run(store, 8, 0.5, 0, 4); // min_rows_per_drug 4 in the first run: d0 out, 7 in
        assertEquals(4, RunPairedTest.of(store, strict, a).minRowsPerDrug());
        String fewDrugs = run(store, 4, 0, 0, 3);
        String fewDrugsB = run(store, 4, 0.7, 0, 3);
        RunPairedTest few = RunPairedTest.of(store, fewDrugs, fewDrugsB);
        assertTrue(few.skipped().contains("only 3 drugs have at least 3 test rows") && few.skipped().contains("the test needs 5"), few.skipped());
        RunFolder running = store.create("live", "h", "cell-blind", "mlp");
        assertTrue(RunPairedTest.of(store, a, running.id()).skipped().contains(running.id() + " has no metrics.json"));
    }
}
