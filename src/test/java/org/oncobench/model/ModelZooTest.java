package org.oncobench.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.oncobench.config.ExperimentConfig.ConvConfig;
import org.oncobench.config.ExperimentConfig.ModelConfig;
import org.oncobench.config.ExperimentConfig.OptimizerConfig;
import org.oncobench.config.ExperimentConfig.ScheduleConfig;
import org.oncobench.data.Cohort;
import org.oncobench.data.FeatureTable;
import org.oncobench.data.FittedTransforms;
import org.oncobench.data.GatheringIterator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class ModelZooTest {
    static final int SAMPLES = 40;
    static final int DRUGS = 5;

    /**
     * 40 samples (12 omics features, 6x6 single-channel images) x 5 drugs (16 bits); the target depends on all three.
     * Shared with other packages' tests (DataParallelTest).
     */
    public static Cohort cohort(boolean classification) {
        Random r = new Random(7);
        List<String> samples = new ArrayList<>();
        float[] omics = new float[SAMPLES * 12];
        float[] images = new float[SAMPLES * 36];
        for (int s = 0; s < SAMPLES; s++) {
            samples.add("s" + s);
            for (int k = 0; k < 12; k++) {
                omics[s * 12 + k] = (float) r.nextGaussian();
            }
            for (int k = 0; k < 36; k++) {
                images[s * 36 + k] = (float) (r.nextDouble() * (1 + omics[s * 12]));
            }
        }
        List<String> drugs = new ArrayList<>();
        float[] bits = new float[DRUGS * 16];
        for (int d = 0; d < DRUGS; d++) {
            drugs.add("d" + d);
            for (int b = 0; b < 16; b++) {
                bits[d * 16 + b] = r.nextBoolean() ? 1 : 0;
            }
        }
        int n = SAMPLES * DRUGS;
        int[] rs = new int[n];
        int[] rd = new int[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            rs[i] = i / DRUGS;
            rd[i] = i % DRUGS;
            double v = omics[rs[i] * 12] * (bits[rd[i] * 16] - 0.5) + omics[rs[i] * 12 + 1] + rd[i] * 0.5;
            y[i] = classification ? (v > 0.5 ? 1 : 0) : (float) v;
        }
        return new Cohort("y", samples, samples, drugs, rs, rd, y,
                List.of(new FeatureTable("omics", samples, names(12), omics), new FeatureTable("images", samples, names(36), images)),
                List.of(new FeatureTable("fingerprints", drugs, names(16), bits)), Map.of(),
                new Cohort.JoinReport(n, n, 0, List.of(), 0, List.of()));
    }

    static List<String> names(int k) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            out.add("f" + i);
        }
        return out;
    }

    public static ModelSpec spec(String kind, String branch, boolean classification, String optimizer, String loss) {
        ModelConfig m = new ModelConfig(kind, List.of(16), 0.1, "relu", 1e-5, true, branch, List.of(16), new ConvConfig(List.of(4, 8), 3, 2), loss);
        OptimizerConfig o = new OptimizerConfig(optimizer, 0.01, 0.9, "adamw".equals(optimizer) ? 0.01 : 0,
                new ScheduleConfig("exponential", 0.9, 1));
        List<InputSpec> inputs = List.of(InputSpec.flat("omics", InputSpec.Kind.OMICS, 12), InputSpec.image("images", 6, 6, 1),
                InputSpec.flat("fingerprints", InputSpec.Kind.DRUG, 16));
        return new ModelSpec(m, o, inputs, 3, classification ? new double[]{1.2, 0.8} : null);
    }

    @ParameterizedTest
    @CsvSource({"mlp,dense,false,adam,mse", "twin,dense,false,adamw,huber", "twin,conv1d,false,nesterovs,mse", "cnn,dense,false,adam,mse",
            "multimodal,dense,false,sgd,mse", "multimodal,conv1d,false,adam,huber", "mlp,dense,true,adam,mse", "multimodal,dense,true,adamw,mse",
            "film,dense,false,adam,mse", "factorization,dense,false,adamw,huber", "film,dense,true,adamw,mse", "factorization,dense,true,adam,mse"})
    void everyKindTrainsTwoEpochsAndLowersItsLoss(String kind, String branch, boolean classification, String optimizer, String loss) {
        Cohort c = cohort(classification);
        int[] rows = java.util.stream.IntStream.range(0, c.size()).toArray();
        FittedTransforms t = classification ? new FittedTransforms(List.of(), 0f, 1f, true, 0.4) : new FittedTransforms(List.of(), 0f, 1f, false, Double.NaN);
        ComputationGraph net = ModelRegistry.forKind(kind).build(spec(kind, branch, classification, optimizer, loss));
        assertEquals(3, net.getConfiguration().getNetworkInputs().size());
        MultiDataSet all = new GatheringIterator(c, rows, rows.length, t, 1, false).next();
        double before = net.score(all);
        GatheringIterator train = new GatheringIterator(c, rows, 32, t, 1, true);
        for (int epoch = 0; epoch < 2; epoch++) {
            train.reset();
            net.fit(train);
        }
        double after = net.score(all);
        assertTrue(after < before, kind + "/" + branch + ": loss " + before + " -> " + after);
        assertEquals(classification ? 2 : 1, net.outputSingle(false, all.getFeatures()).size(1));
    }

    @ParameterizedTest
    @CsvSource({"mlp", "multimodal", "film", "factorization"})
    void sameSeedSameWeightsAfterTraining(String kind) {
        Cohort c = cohort(false);
        int[] rows = java.util.stream.IntStream.range(0, c.size()).toArray();
        FittedTransforms t = new FittedTransforms(List.of(), 0f, 1f, false, Double.NaN);
        float[][] params = new float[2][];
        for (int k = 0; k < 2; k++) {
            ComputationGraph net = ModelRegistry.forKind(kind).build(spec(kind, "dense", false, "adam", "mse"));
            GatheringIterator train = new GatheringIterator(c, rows, 32, t, 5, true);
            for (int epoch = 0; epoch < 2; epoch++) {
                train.reset();
                net.fit(train);
            }
            params[k] = net.params().toFloatVector();
        }
        assertArrayEquals(params[0], params[1]);
    }
}
