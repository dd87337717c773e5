package org.oncobench.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.config.ExperimentConfig.ImageTableConfig;
import org.oncobench.config.ExperimentConfig.MatrixTableConfig;
import org.oncobench.config.ExperimentConfig.SelectConfig;
import org.oncobench.data.synth.SynthSpec;
import org.oncobench.data.synth.SyntheticCohortGenerator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransformOptionsTest {
    @TempDir
    Path dir;

    /** Samples s0..s5 with one drug; s0..s3 train, s4, s5 test. */
    static Cohort cohort(FeatureTable table) {
        int n = table.rows();
        int[] rs = new int[n];
        int[] rd = new int[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            rs[i] = i;
            y[i] = i;
        }
        return new Cohort("y", table.ids(), table.ids(), List.of("d"), rs, rd, y, List.of(table), List.of(), Map.of(),
                new Cohort.JoinReport(n, n, 0, List.of(), 0, List.of()));
    }

    static SplitAssignment firstFourTrain() {
        return new SplitAssignment("x", new byte[]{0, 0, 0, 0, 2, 2});
    }

    @Test
    void medianImputationUsesTrainingSamplesOnly() throws IOException {
        Path f = dir.resolve("m.csv");
        Files.writeString(f, "id,a,b\ns0,1,NA\ns1,2,10\ns2,,20\ns3,4,30\ns4,NaN,1000\ns5,100,\n");
        FeatureTable t = new MatrixReader().read("x", f, "id", "k", true);
        assertTrue(Float.isNaN(t.get(2, 0)));
        Cohort c = cohort(t);
        FittedTransforms fit = new TransformFitter().fit(c, firstFourTrain(), Map.of("x", new MatrixTableConfig("m", "id", null, "median")));
        // training medians: a over {1, 2, 4} = 2; b over {10, 20, 30} = 20 (s4's 1000 and s5's 100 are never seen)
        assertEquals(2f, fit.sampleTables().get(0).fill()[0]);
        assertEquals(20f, fit.sampleTables().get(0).fill()[1]);
        Cohort prepared = fit.apply(c);
        FittedTransforms.TableTransform tt = fit.sampleTables().get(0);
        assertEquals((2f - tt.mean()[0]) / tt.sd()[0], prepared.sampleTables().get(0).get(4, 0), 1e-6);
        assertEquals((20f - tt.mean()[1]) / tt.sd()[1], prepared.sampleTables().get(0).get(5, 1), 1e-6);
        for (int r = 0; r < 6; r++) {
            for (int col = 0; col < 2; col++) {
                assertTrue(Float.isFinite(prepared.sampleTables().get(0).get(r, col)));
            }
        }
    }

    @Test
    void geneListSelectsBySymbolThenTopVariance() throws IOException {
        FeatureTable t = new FeatureTable("expression", List.of("s0", "s1", "s2", "s3", "s4", "s5"),
                List.of("TP53 (7157)", "EGFR (1956)", "KRAS (3845)", "MYC (4609)"), new float[]{
                        0, 0, 0, 0, 1, 5, 1, 1, 2, 0, 2, 2, 3, 5, 3, 3, 4, 0, 4, 4, 5, 5, 5, 5});
        Path genes = dir.resolve("genes.txt");
        Files.writeString(genes, "# panel\nEGFR\nMYC (4609)\nNOTAGENE\n");
        Cohort c = cohort(t);
        FittedTransforms fit = new TransformFitter().fit(c, firstFourTrain(),
                Map.of("expression", new MatrixTableConfig("e", "ModelID", new SelectConfig(null, genes.toString()), "fail")));
        assertEquals(List.of("EGFR (1956)", "MYC (4609)"), fit.sampleTables().get(0).columnNames());
        FittedTransforms top = new TransformFitter().fit(c, firstFourTrain(),
                Map.of("expression", new MatrixTableConfig("e", "ModelID", new SelectConfig(1, genes.toString()), "fail")));
        // EGFR over the training samples: 0,5,0,5 (var 6.25) beats MYC 0,1,2,3 (var 1.25)
        assertEquals(List.of("EGFR (1956)"), top.sampleTables().get(0).columnNames());
    }

    @Test
    void imageTilesAreReadThroughDataVecAndAveraged() {
        new SyntheticCohortGenerator().generate(new SynthSpec(12, 3, 30, 4, 2, 16), dir, p -> { });
        FeatureTable images = new ImageTableReader().read("images", new ImageTableConfig(dir.resolve("images").toString(), List.of(8, 8, 1)),
                "data.samples.images");
        assertEquals(12, images.rows());
        assertEquals(64, images.width());
        assertEquals("ACH-900001", images.ids().get(0));
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (int r = 0; r < images.rows(); r++) {
            for (int c = 0; c < images.width(); c++) {
                min = Math.min(min, images.get(r, c));
                max = Math.max(max, images.get(r, c));
            }
        }
        assertTrue(min >= 0 && max <= 1 && max > min, min + " .. " + max);
    }
}
