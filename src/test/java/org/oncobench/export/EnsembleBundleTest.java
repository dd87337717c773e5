package org.oncobench.export;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.api.preprocessor.MultiNormalizerStandardize;
import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentLoader;
import org.oncobench.runs.RunStore;
import org.oncobench.train.ExperimentRunner;
import org.oncobench.train.RunResult;
import org.oncobench.train.TrainingProgress;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A model.ensemble run exported: the bundle carries its members and serves their mean, bit for bit (issue 28, item 4). */
class EnsembleBundleTest {
    @TempDir
    static Path dir;
    private static Bundle bundle;
    private static BundleWriter.Exported exported;

    @BeforeAll
    static void runAndExport() {
        RunStore store = new RunStore(dir.resolve("runs"));
        RunResult r = new ExperimentRunner(store, TrainingProgress.QUIET, s -> { }).run(new ExperimentLoader().load(Path.of("experiments/quickstart.yaml"),
                List.of("training.epochs=2", "evaluation.baselines=[drug_mean]", "data.samples.expression.select.top_variance=40", "model.hidden=[16]",
                        "model.ensemble={members: 3}")));
        exported = new BundleWriter().export(store, r.runId(), dir.resolve("bundle.zip"));
        bundle = Bundle.open(dir.resolve("bundle.zip"));
    }

    private static ComputationGraph member(int m) throws Exception {
        return m == 0 ? ModelSerializer.restoreComputationGraph(bundle.modelFile().toFile(), false)
                : ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bundle.bytes(BundleFormat.member(m))), false);
    }

    @Test
    void theBundleCarriesEveryMemberAndNoOnnxGraphOfOne() {
        assertEquals(3, bundle.schema().path("ensemble").path("members").asInt());
        assertNotNull(bundle.bytes(BundleFormat.member(1)));
        assertNotNull(bundle.bytes(BundleFormat.member(2)));
        assertEquals(null, bundle.bytes(BundleFormat.member(3)));
        assertFalse(exported.hasOnnx());
        assertTrue(exported.onnxRefusal().contains("ensemble of 3 networks"), exported.onnxRefusal());
    }

    @Test
    void theServedValueIsTheMeanOfTheMembersBitForBit() throws Exception {
        MultiNormalizerStandardize normalizer = ModelSerializer.restoreNormalizerFromFile(bundle.modelFile().toFile());
        InputSchema schema = new InputSchema(bundle.schema(), normalizer);
        int n = 37;
        Random random = new Random(7);
        float[][][] rows = new float[n][schema.inputs().size()][];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < rows[i].length; k++) {
                int width = schema.inputs().get(k).path("width").asInt();
                rows[i][k] = new float[width];
                boolean bits = "drug".equals(schema.inputs().get(k).path("entity").asText());
                for (int j = 0; j < width; j++) {
                    rows[i][k][j] = bits ? random.nextInt(2) : (float) (4 + 2 * random.nextGaussian());
                }
            }
        }
        Predictor.RowSource source = (k, i) -> rows[i][k];
        double[] served = bundle.predictor().predictRows(n, source);
        double[] sum = new double[n];
        for (int m = 0; m < 3; m++) {
            double[] one = new PointPredictor(member(m), schema).predictRows(n, source);
            for (int i = 0; i < n; i++) {
                sum[i] += one[i];
            }
            assertFalse(java.util.Arrays.equals(one, served), "member " + m + " alone is not the ensemble");
        }
        for (int i = 0; i < n; i++) {
            sum[i] /= 3;
        }
        assertArrayEquals(sum, served, 0.0);
    }

    @Test
    void explanationsOfAnEnsembleAreRefused() {
        BadInputException e = assertThrows(BadInputException.class, () -> bundle.predictor().explainRows(1, (k, i) -> new float[0], 5));
        assertTrue(e.getMessage().contains("ensemble of 3 networks (model.ensemble)"), e.getMessage());
    }
}
